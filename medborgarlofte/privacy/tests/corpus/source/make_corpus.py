"""Turns marked-up sentences into corpus lines (used once to write the corpus).

    python make_corpus.py names_and_numbers.txt 1201 >> ../personal_data.jsonl
    python make_corpus.py holdout.txt 7319 > ../personal_data_holdout.jsonl

Markup: [[Anna Svensson]] a name, [[~Kalle]] a first name alone, {P10} {P12} {P10S}
{P12S} {P10N} {P12N} {PPLUS} a generated personnummer in that written form (S: space,
N: no separator), {S..} a samordningsnummer, {B..} a date-valid number with a wrong
check digit (possible_personnummer), <<kind:text>> any other hit written out.
"""

import json
import random
import re
import sys


def luhn_digit(nine):
    total = 0
    for i, c in enumerate(nine):
        v = int(c) * (2 if i % 2 == 0 else 1)
        total += v - 9 if v > 9 else v
    return str((10 - total % 10) % 10)


def number(rng, kind, form):
    while True:
        year = rng.randint(1921, 2019) if form != "PLUS" else rng.randint(1905, 1924)
        month = rng.randint(1, 12)
        day = rng.randint(1, 28)
        if form == "PLUS" and year >= 1925:
            continue
        d = day + 60 if kind == "S" else day
        yymmdd = f"{year % 100:02d}{month:02d}{d:02d}"
        serial = f"{rng.randint(0, 999):03d}"
        check = luhn_digit(yymmdd + serial)
        if kind == "B":
            check = str((int(check) + rng.randint(1, 9)) % 10)
        cc = str(year // 100)
        four = serial + check
        return {
            "10": f"{yymmdd}-{four}",
            "12": f"{cc}{yymmdd}-{four}",
            "10S": f"{yymmdd} {four}",
            "12S": f"{cc}{yymmdd} {four}",
            "10N": f"{yymmdd}{four}",
            "12N": f"{cc}{yymmdd}{four}",
            "PLUS": f"{yymmdd}+{four}",
        }[form]


KIND = {"P": "personnummer", "S": "samordningsnummer", "B": "possible_personnummer"}
TOKEN = re.compile(r"\[\[(~?)(.+?)\]\]|\{([PSB])(10S|12S|10N|12N|10|12|PLUS)\}|<<(\w+):(.+?)>>")


def convert(line, rng):
    out, hits, pos = [], [], 0
    for m in TOKEN.finditer(line):
        out.append(line[pos : m.start()])
        pos = m.end()
        if m.group(2):
            text = m.group(2)
            hit = {"kind": "name", "text": text}
            if m.group(1):
                hit["first_name"] = True
        elif m.group(3):
            text = number(rng, m.group(3), m.group(4))
            hit = {"kind": KIND[m.group(3)], "text": text}
        else:
            text = m.group(6)
            hit = {"kind": m.group(5), "text": text}
        out.append(text)
        hits.append(hit)
    out.append(line[pos:])
    return {"text": "".join(out), "hits": hits}


if __name__ == "__main__":
    src, seed = sys.argv[1], int(sys.argv[2])
    rng = random.Random(seed)
    with open(src, encoding="utf-8") as fh:
        lines = fh.read().splitlines()
    for line in lines:
        line = line.rstrip("\n")
        if not line.strip() or line.startswith("#"):
            continue
        print(json.dumps(convert(line, rng), ensure_ascii=False))
