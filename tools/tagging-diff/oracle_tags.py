import os, sys, json
ORACLE = os.environ.get('ORACLE_DIR', '/tmp/tagging-oracle')
sys.path.insert(0, ORACLE)
from assemblyline_service_utilities.common.tag_helper import _validate_tag, add_tag
from assemblyline_service_utilities.common.safelist_helper import is_tag_safelisted, contains_safelisted_value
from assemblyline_v4_service.common.result import ResultSection
from assemblyline.common.net import is_valid_domain, is_valid_ip
for line in sys.stdin:
    d = json.loads(line)
    op = d['op']
    out = {}
    try:
        if op in ('validate', 'add'):
            s = ResultSection('x')
            sl = d.get('safelist')
            if op == 'validate':
                out['r'] = list(_validate_tag(s, d['tag'], d['value'], sl))
            else:
                out['r'] = add_tag(s, d['tag'], d['value'], sl)
            out['tags'] = s.tags
        elif op == 'safelisted':
            out['r'] = is_tag_safelisted(d['value'], d['tags'], d['safelist'], d['substring'])
        elif op == 'contains':
            out['r'] = contains_safelisted_value(d['value'], d['safelist'])
        elif op == 'domain':
            out['r'] = is_valid_domain(d['value'])
        elif op == 'ip':
            out['r'] = is_valid_ip(d['value'])
    except Exception as e:
        out = {'exception': type(e).__name__ + ': ' + str(e)}
    print(json.dumps(out))
