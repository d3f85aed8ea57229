import json, os, random, yaml, itertools
random.seed(int(__import__('sys').argv[1]) if len(__import__('sys').argv) > 1 else 1)
DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', 'data')
sys_sl = yaml.safe_load(open(DATA + '/system_safelist.yaml'))
def_sl = yaml.safe_load(open(DATA + '/tag_safelist_default.yml'))
sl = {'match': {}, 'regex': {}}
for src in (sys_sl, def_sl):
    for k in ('match', 'regex'):
        for t, v in (src.get(k) or {}).items():
            sl[k].setdefault(t, []).extend(v or [])
sl['regex'].setdefault('network.dynamic.ip', []).append(r'169\.254\.128\..*')
hosts = ['evil.com', 'EVIL.CA', 'www.microsoft.com', 'settings-win.data.microsoft.com', '1.2.3.4', '10.0.2.15', '169.254.128.5',
         '203.0.113.45', '192.0.2.1', 'bücher.ch', 'BÜCHER.CH', 'xn--bcher-kva.ch', 'a_b.example.com', 'online_nat.online_nat',
         'example.рф', 'localhost', 'wpad.corp.example.com', 'blah.blah', 'foo.local', '::1', '[::1]', '[2001:db8::1]', '[1:2]',
         '0.0.0.0', '1.2.3.0', '256.1.1.1', '01.02.03.04', 'exa mple.com', 'ex\tample.com', 'ｅｘａｍｐｌｅ.ｃｏｍ', 'ex.ｃｏｍ',
         '_ldap._tcp.dc._msdcs.example.com', 'evil.com.', 'evil..com', '-evil.com', 'a.b', 'Ünï.çødé', 'x'*70 + '.com',
         'in-addr.arpa', '1.128.254.169.in-addr.arpa', 'cdn.jsdelivr.net', 'files.acrobat.com', 'api.telemetry-sync.example.com',
         '198.51.100.77', 'evil.com\n', 'evil.ınfo', 'ß.de', 'test.stra\u00dfe']
schemes = ['http://', 'https://', 'HTTP://', 'ftp://', 'hxxp://', 'file:///', '', '//', 'tcp://', 'h-t.t+p://', '1http://', 'http:/', 'http:']
ports = ['', ':80', ':8080', ':99999', ':abc', ':']
userinfo = ['', 'user@', 'user:pw@', '@', 'a@b@']
paths = ['', '/', '/path', '/a b', '/x?q=1 2', '?q=a&b=c', '#frag', '/p//q', '/%41%2f', '/ünï', '/x\n', '/x"y', "/x'y", '/x)', '/wpad.dat',
         '/a,b', '/a\\b', '/ä ö?x=ü ß']
values = []
for _ in range(3000):
    values.append(random.choice(schemes) + random.choice(userinfo) + random.choice(hosts) + random.choice(ports) + random.choice(paths))
values += hosts + [p for p in paths] + ['', 'blah', 'C:\\file.js?blah/blah.exe', '/c9k5y4.zip', '1.2.3.4 ', ' 1.2.3.4', '1.2.3.4_5', '1.2.3.4:80',
                                         '1.2.3.4\n', 'evil.com\n', 'http://evil.com/x\n', '\x01http://evil.com', 'http://evil.com/\x01']
tags = ['network.dynamic.uri', 'network.static.uri', 'network.dynamic.domain', 'network.static.domain', 'network.dynamic.ip',
        'network.static.ip', 'network.dynamic.uri_path', 'file.string.extracted', 'dynamic.process.file_name']
for v in values:
    t = random.choice(tags)
    print(json.dumps({'op': 'validate', 'tag': t, 'value': v, 'safelist': sl if random.random() < 0.7 else None}))
    print(json.dumps({'op': 'domain', 'value': v}))
    print(json.dumps({'op': 'ip', 'value': v}))
    print(json.dumps({'op': 'contains', 'value': v, 'safelist': sl}))
    print(json.dumps({'op': 'safelisted', 'value': v, 'tags': [random.choice(tags), random.choice(tags)], 'safelist': sl, 'substring': random.random() < 0.2}))
for v in [[], ['1.2.3.4', 'x'], ['x', '1.2.3.4'], 0, 80, '80', None, True, 1.5]:
    for t in ['network.port', 'network.dynamic.ip', 'blah']:
        print(json.dumps({'op': 'add', 'tag': t, 'value': v, 'safelist': None}))
