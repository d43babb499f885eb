#!/usr/bin/env python3
"""What dominates maillab.wasm: code bytes per Go package, from the module's
own sections (function bodies in the code section, names in the name
section; build without -s -w for the names), plus the data section.

usage: wasm-sizes.py FILE.wasm [N]   prints the N biggest packages (default 25)
"""
import collections
import re
import sys


def leb(b, i):
    n = shift = 0
    while True:
        x = b[i]
        i += 1
        n |= (x & 0x7F) << shift
        shift += 7
        if x < 0x80:
            return n, i


def sections(b):
    i = 8
    while i < len(b):
        sid = b[i]
        size, j = leb(b, i + 1)
        yield sid, b[j:j + size]
        i = j + size


def main():
    b = open(sys.argv[1], 'rb').read()
    top = int(sys.argv[2]) if len(sys.argv) > 2 else 25
    imports = 0
    bodies, names, data = [], {}, 0
    for sid, s in sections(b):
        if sid == 2:  # imports: functions among them shift the indices
            count, i = leb(s, 0)
            for _ in range(count):
                for _ in range(2):
                    n, i = leb(s, i)
                    i += n
                kind = s[i]
                i += 1
                if kind == 0:
                    imports += 1
                    _, i = leb(s, i)
                else:
                    break
        elif sid == 10:
            count, i = leb(s, 0)
            for _ in range(count):
                size, i = leb(s, i)
                bodies.append(size)
                i += size
        elif sid == 11:
            data = len(s)
        elif sid == 0:
            n, i = leb(s, 0)
            if s[i:i + n] != b'name':
                continue
            i += n
            while i < len(s):
                sub = s[i]
                size, i = leb(s, i + 1)
                end = i + size
                if sub == 1:
                    count, i = leb(s, i)
                    for _ in range(count):
                        idx, i = leb(s, i)
                        ln, i = leb(s, i)
                        names[idx] = s[i:i + ln].decode('utf-8', 'replace')
                        i += ln
                i = end
    per = collections.Counter()
    for k, size in enumerate(bodies):
        name = names.get(k + imports, '?')
        # names spell the package path with _ for /: github.com_emersion_go-smtp.(*Conn).handle
        m = re.match(r'^([a-z0-9-]+\.[a-z]+_[^.]+|[^.]+)', name)
        per[m.group(1) if m else name] += size
    total = len(b)
    print(f'{sys.argv[1]}: {total / 1e6:.1f} MB; code {sum(bodies) / 1e6:.1f} MB, data {data / 1e6:.1f} MB')
    for pkg, size in per.most_common(top):
        print(f'  {size / 1e6:6.2f} MB  {pkg}')


main()
