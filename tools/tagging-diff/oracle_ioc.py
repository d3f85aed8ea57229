import os, sys, json, ast, re as _re
ORACLE = os.environ.get('ORACLE_DIR', '/tmp/tagging-oracle')
sys.path.insert(0, ORACLE); sys.path.insert(0, os.path.join(ORACLE, 'multidecoder', 'src'))
from multidecoder.decoders.network import find_domains, find_ips, find_urls
from assemblyline_service_utilities.common.tag_helper import add_tag
from assemblyline.odm.base import DOMAIN_REGEX, FULL_URI, URI_PATH
from json import dumps
from re import findall, sub, match as re_match
from urllib.parse import urlparse
src = open(os.path.join(ORACLE, 'dynamic_service_helper.py')).read()
tree = ast.parse(src)
ns = dict(globals())
for node in tree.body:
    if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name) and node.targets[0].id in (
        'MIN_DOMAIN_CHARS','MAX_DOMAIN_CHARS','MIN_URI_CHARS','COMMON_FP_DOMAINS','COMMON_FP_TLDS_THAT_ARE_FILE_EXTS',
        'COMMON_FP_TLDS_THAT_ARE_JS_COMMANDS','COMMON_FP_TLDS','COMMON_SCHEMES','BYTE_STRING'):
        exec(compile(ast.Module([node], []), 'dsh', 'exec'), ns)
    if isinstance(node, ast.FunctionDef) and node.name == 'extract_iocs_from_text_blob':
        node.args.args = node.args.args  # annotations reference names; strip them
        for a in node.args.args: a.annotation = None
        node.returns = None
        exec(compile(ast.Module([node], []), 'dsh', 'exec'), ns)
class Body:
    def __init__(self): self._data = []
    @property
    def body(self): return json.dumps(self._data) if self._data else None
class Sec:
    def __init__(self): self._tags = {}; self.section_body = Body()
    @property
    def tags(self): return self._tags
    def add_tag(self, t, v):
        if not t: return
        if v == "": return
        self._tags.setdefault(t, [])
        if v not in self._tags[t]: self._tags[t].append(v)
    def add_row(self, row):
        self.section_body._data.append(row)
class Attr:
    def __init__(self, uri): self.uri = uri
class Sig:
    def __init__(self): self.attributes = []
    def create_attribute(self, source, uri): return Attr(uri)
    def add_attribute(self, a): self.attributes.append(a)
ns['TableRow'] = lambda **kw: dict(kw)
f = ns['extract_iocs_from_text_blob']
for line in sys.stdin:
    d = json.loads(line); op = d['op']; out = {}
    try:
        if op.startswith('find_'):
            fn = {'find_ips': find_ips, 'find_domains': find_domains, 'find_urls': find_urls}[op]
            out['r'] = [n.value.decode() for n in fn(d['value'].encode('utf-8', 'surrogateescape'))]
        elif op == 'extract':
            s = Sec(); sig = Sig()
            f(d['value'], s, sig, 'src', d['min'], d['max'], d.get('safelist'), d['static'])
            out['tags'] = s.tags; out['rows'] = s.section_body._data; out['uris'] = [a.uri for a in sig.attributes]
    except Exception as e:
        out = {'exception': type(e).__name__ + ': ' + str(e)}
    print(json.dumps(out))
