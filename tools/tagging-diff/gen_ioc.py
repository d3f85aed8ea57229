import json, os, random, sys, yaml
random.seed(int(sys.argv[1]) if len(sys.argv) > 1 else 1)
DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', 'data')
sys_sl = yaml.safe_load(open(DATA + '/system_safelist.yaml'))
sl = {'match': dict(sys_sl['match']), 'regex': dict(sys_sl['regex'])}
sl['regex']['network.dynamic.ip'] = list(sl['regex']['network.dynamic.ip']) + [r'169\.254\.128\..*']
ips = ['1.2.3.4', '198.51.100.23', '203.0.113.45', '192.0.2.10', '127.0.0.1', '10.0.2.15', '169.254.128.1', '0.0.0.0',
       '8.8.8.8', '255.255.255.255', '1.0.0.0', '12.34.56.78', '0177.0.0.01', '0x7f.0x0.0x0.0x1', '0xac.000000000000000000331.0246.174',
       '1234.8.8.8', '08.8.8.8', '010.010.010.010', '256.1.1.1', '11.22.33.44', '99.88.77.066', '0x1g.2.3.4', '1.2.3.4.5', '100.200.50.25']
doms = ['evil.com', 'www.example.com', 'example.com', 'cdn.static-assets.example.com', 'orders.example-shop.example.net', 'microsoft.net',
        'blah.ca', 'bad.zip', 'qzx7k2m9vb.top', 'WScript.Shell', 'ADODB.stream', 'config.edge.skype.com', 'xn--bcher-kva.example',
        'some.website.xn--4gbrim', 'a.b.c.d', 'libm.so', 'this.name', 'EVIL.CA', 'Evil.Com', 'readme.md', 'test.cc', 'x-y.com',
        'abc0def.com', 'update-check.example.net', 'fallback.c2-relay.example.com', 'settings-win.data.microsoft.com', 'blah.link',
        'aaaaaaa.aa', 'foo.info', 'icrosoft.com', 'status.telemetry-sync.example.com', 'a'*70 + '.com', ('b'*60 + '.')*3 + 'com',
        'host.local', 'wpad.corp.example.com', 'www.microsoft.com', 'crl.microsoft.com', 'my-site.co.uk', 'foo.bar.baz.qux.org']
schemes = ['http://', 'https://', 'HTTP://', 'ftp://', 'hxxp://', 'tftp://', 'wss://', 'socks5://', 'xhttps://', 'udp://', 'file://']
paths = ['', '/', '/path', '/a/b.exe', '/x?q=1&r=2', '/p#frag', '/a,b', '/a b', '/%41%2f%7e', '/x)', "/x'y", '/x"y', '/wpad.dat',
         '/api/v1/config.json', '/a//b', '/x\\y', '/<tag>', '/(paren)', '/a;b', '/.', '/x.', "/x'", '/x,']
ports = ['', ':80', ':443', ':8080', ':99999', ':']
users = ['', 'user@', 'u:p@', 'a@b@']
def url():
    return random.choice(schemes) + random.choice(users) + random.choice(doms + ips + ['[::1]', '[2001:db8::7]', '%5B::1]', '[1:2]']) + random.choice(ports) + random.choice(paths)
seps = [' ', ' ', '\n', '\t', ',', ';', '"', "'", '(', ')', '<', '>', '/', '//', '\\', '\\x0d', '\\x00', '=', ': ', '\x00', '\r\n',
        'Version ', 'version="', 'ersion\x00', 'section ', 'sec. ', '<t>', '<a:t> ', 'Host: ', 'GET ', '%3A%2F%2F', '%40', '=40', '%2540',
        'http://\n', 'https:\x00//', ' e\r\n\t', 'é', '日本', '\x13', '\x17', '0', '-', '.', '@', '$', '_']
def frag():
    r = random.random()
    if r < 0.25: return random.choice(ips)
    if r < 0.5: return random.choice(doms)
    if r < 0.8: return url()
    return random.choice(['foo', 'bar', 'C:\\Windows\\x.exe', 'a.b', '1.2', 'v1.2.3.4', '1.1.8.35-g8f5559c', 'blah.py', 'x.js'])
fixed = [
    "192.168.100.1", "blah.ca", "https://blah.ca", "https://blah.ca/blah",
    "drive:\\\\path to\\\\microsoft office\\\\officeverion\\\\winword.exe",
    "POST /some/thing/bad.exe HTTP/1.0\nUser-Agent: Mozilla\nHost: evil.ca\nAccept: */*\n\nConnection: close",
    "http://evil.ca/some/thing/bad.exe", "POST abc.de#fgh", "'<script src=\"https://blah.link/blah/blah?filename=blah.js\"></script>'",
    "POST blah.adobe.com)", "Wscript.Shell.Run(blah.py)", "blah microsoft.net blah", "blah blahhttps://microsoft.net blah",
    "HTTP://EVIL.CA/SOME/THING/BAD.EXE", "for i in https://bad2.com/blah,https://bad1.com/blah,https://bad3.com/blah do get",
    "blah https://microsoft.net/ blah", " https://example.com/path'),.;still_url ", "'https://example.com",
    "                    \x13https://example.com0thisisaftertheendoftheurl", "<si><t>1.1.1.4</t></si>", "ProductVersion\x004.0.0.1\x00",
    "Version=4.0.0.1", "<a:t>  11.11.11.4 Section Title</a:t>", "section 11.11.11.4", "sec. 11.11.11.4", "https://e\r\n\txample.com/path",
    "&lt;a href=&quot;krakev.cc&quot;&gt;", "https % 3A % 2F % 2Fdoi.org % 2F ", "https:*2F*2Fexample.org*2f", "Firstname.Lastname=40example.com",
    "username%2540example.com", "./example.com ", "mailto:example.com@cyber.gc.ca", "K.cA", "config.edge.skype.com0",
    "11.22.33.44 <t>", "  <t>11.22.33.44", "x\x17http://evil.com/0123456789012345678901234", "abc\"http://evil.com/path with space\" x",
]
cases = list(fixed)
for _ in range(int(sys.argv[2]) if len(sys.argv) > 2 else 1500):
    n = random.randint(1, 6)
    s = ''
    for _ in range(n): s += random.choice(seps) + frag()
    if random.random() < 0.5: s += random.choice(seps)
    cases.append(s)
for v in cases:
    for op in ('find_ips', 'find_domains', 'find_urls'):
        print(json.dumps({'op': op, 'value': v}))
    print(json.dumps({'op': 'extract', 'value': v, 'min': random.random() < 0.5, 'max': random.random() < 0.3,
                      'static': random.random() < 0.5, 'safelist': sl if random.random() < 0.6 else None}))
