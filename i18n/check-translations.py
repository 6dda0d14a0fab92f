#!/usr/bin/env python3
"""Fails when the translations do not match the sources.

Runs lupdate on the current sources into temporary copies of resources/translations/*.ts and
compares: a string in the sources but not in the .ts (it comes back "unfinished"), a string in
the .ts the sources no longer have ("vanished"/"obsolete"), or any unfinished or empty
translation is an error. The fix is `cmake --build build --target update_translations` and
translating what it added.

With --web, the How it works texts must also be the browser page's (resources/web/i18n.js,
keys how_<mode>_<part>), word for word in both languages (docs/HOW-IT-WORKS.md).
"""

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path


def messages(ts_path):
    """(context, source, comment) -> message element, for every message of a .ts file."""
    result = {}
    for context in ET.parse(ts_path).getroot().iter("context"):
        name = context.findtext("name")
        for message in context.iter("message"):
            key = (name, message.findtext("source"), message.findtext("comment") or "")
            result[key] = message
    return result


def translation_problem(message, plural_only):
    translation = message.find("translation")
    kind = translation.get("type", "")
    if kind in ("vanished", "obsolete"):
        return "no longer in the sources"
    if kind == "unfinished":
        return "not translated"
    numerus = message.get("numerus") == "yes"
    if plural_only and not numerus:
        return "not a plural form (the English file holds only those)"
    forms = [f.text or "" for f in translation.iter("numerusform")] if numerus else [translation.text or ""]
    if not forms or any(not f.strip() for f in forms):
        return "empty translation"
    return None


def check(lupdate, sources, ts_file, plural_only):
    errors = []
    with tempfile.TemporaryDirectory() as tmp:
        fresh = Path(tmp) / Path(ts_file).name
        shutil.copyfile(ts_file, fresh)
        command = [lupdate, "-locations", "none", "-no-ui-lines", "-silent"]
        if plural_only:
            command.append("-pluralonly")
        command += ["@" + sources, "-ts", str(fresh)]
        subprocess.run(command, check=True)
        committed = messages(ts_file)
        current = messages(fresh)
    for key, message in sorted(current.items(), key=lambda kv: (kv[0][0] or "", kv[0][1] or "")):
        context, source, _ = key
        if key not in committed:
            errors.append(f"{ts_file}: [{context}] {source!r}: in the sources, missing here")
            continue
        problem = translation_problem(message, plural_only)
        if problem:
            errors.append(f"{ts_file}: [{context}] {source!r}: {problem}")
    return errors


def web_how_texts(i18n_js):
    """{"en": [...], "zh": [...]}: the how_<mode>_<part> texts of the browser page."""
    text = Path(i18n_js).read_text(encoding="utf-8")
    result = {}
    for language in ("en", "zh"):
        block = re.search(r"^  " + language + r": \{\n(.*?)^  \},", text, re.S | re.M).group(1)
        result[language] = [m.group(1).replace("\\'", "'")
                            for m in re.finditer(r"^    how_\w+: '(.*)',$", block, re.M)]
    return result


def check_how_it_works(zh_ts, i18n_js):
    web = web_how_texts(i18n_js)
    app = {}
    for (context, source, _), message in messages(zh_ts).items():
        if context == "PushChat::HowItWorksDialog":
            app[source] = message.findtext("translation")
    errors = []
    if not web["en"] or len(web["en"]) != len(web["zh"]):
        errors.append(f"{i18n_js}: how_* texts not found in both languages")
    for english, chinese in zip(web["en"], web["zh"]):
        if english not in app:
            errors.append(f"HowItWorksDialog lacks the browser's text {english!r}")
        elif app[english] != chinese:
            errors.append(f"HowItWorksDialog's Chinese of {english[:40]!r}… differs from the "
                          f"browser's: {app[english]!r} / {chinese!r}")
    return errors


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--lupdate", required=True)
    parser.add_argument("--sources", required=True, help="file listing the sources, one a line")
    parser.add_argument("--zh", required=True)
    parser.add_argument("--en", required=True)
    parser.add_argument("--web", help="resources/web/i18n.js")
    args = parser.parse_args()
    errors = check(args.lupdate, args.sources, args.zh, plural_only=False)
    errors += check(args.lupdate, args.sources, args.en, plural_only=True)
    if args.web:
        errors += check_how_it_works(args.zh, args.web)
    for error in errors:
        print(error)
    if errors:
        print(f"{len(errors)} problem(s); run `cmake --build build --target update_translations` "
              "and translate what it reports as unfinished.")
        return 1
    total = len(messages(args.zh))
    print(f"translations complete: {total} strings")
    return 0


if __name__ == "__main__":
    sys.exit(main())
