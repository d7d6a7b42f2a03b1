#!/usr/bin/env python3
# json-schema.py REPORT PLUGIN_SO CAPTURES_DIR SCHEMA
#
# The report's --format json, on bundled captures (per endpoint and per
# connection, one file, a folder, with keys, with a file truncated with
# head -c), validates against docs/report.schema.json, and says in JSON
# what the text says: the file's name, the answer and exit status, the
# peers with their certificate, counts and evidence.
#
# SPDX-License-Identifier: GPL-2.0-or-later
import json
import os
import shutil
import subprocess
import sys
import tempfile

import jsonschema

report, plugin, captures, schema_path = sys.argv[1:5]
here = os.path.dirname(os.path.abspath(__file__))
run_tshark = os.path.join(here, "..", "integration", "run-tshark.sh")
with open(schema_path) as f:
    schema = json.load(f)
jsonschema.Draft7Validator.check_schema(schema)
validator = jsonschema.Draft7Validator(schema)

work = tempfile.mkdtemp(prefix="sipmtls-json.")
os.chmod(work, 0o755)
folder = os.path.join(work, "folder")
os.mkdir(folder)
for name in ("tls12-required-clientauth", "tls12-no-request", "all-merged", "tls13-required-clientauth"):
    shutil.copy(os.path.join(captures, name + ".pcapng"), work)
for name in ("tls12-required-clientauth", "tls12-no-request"):
    shutil.copy(os.path.join(captures, name + ".pcapng"), folder)
shutil.copy(os.path.join(captures, "keys", "all-merged.keys"), work)
with open(os.path.join(captures, "all-merged.pcapng"), "rb") as src, \
        open(os.path.join(work, "cut.pcapng"), "wb") as dst:
    data = src.read()
    dst.write(data[:len(data) // 2])
for root, dirs, files in os.walk(work):
    for n in dirs + files:
        os.chmod(os.path.join(root, n), 0o755)

failures = 0


def check(args, want_status, test):
    global failures
    p = subprocess.run([run_tshark, "--exec", report, plugin, "--", "--format", "json"] + args,
                       capture_output=True, text=True)
    try:
        doc = json.loads(p.stdout)
    except ValueError as e:
        print(f"FAILED: {args}: not JSON ({e}): {p.stdout[:400]} {p.stderr}")
        failures += 1
        return
    errors = list(validator.iter_errors(doc))
    for e in errors[:5]:
        print(f"FAILED: {args}: {'/'.join(map(str, e.absolute_path))}: {e.message}")
    failures += bool(errors)
    if p.returncode != want_status or doc.get("exit_status") != want_status:
        print(f"FAILED: {args}: exit {p.returncode}, exit_status {doc.get('exit_status')}, want {want_status}")
        failures += 1
    try:
        problem = test(doc)
    except (KeyError, IndexError, TypeError) as e:
        problem = f"missing {e}"
    if problem:
        print(f"FAILED: {args}: {problem}")
        failures += 1


def w(name):
    return os.path.join(work, name)


def clientauth(doc):
    e = doc["endpoints"][0]
    p = e["peers"][0]
    if doc["files"][0]["name"] != w("tls12-required-clientauth.pcapng"):
        return "no file name"
    if p["client"] != "127.0.0.1" or p["top"]["verdict_code"] != 3 or p["evidence"][0]["frame"] != 16:
        return f"peer {p['client']} verdict {p['top']['verdict_code']} frame {p['evidence'][0]['frame']}"
    if p["certificates"][0]["subject"] != "CN=trunk.carrier.example,O=Example Carrier" or \
            p["certificates"][0]["issuer"] != "CN=sipmtls Test Issuing CA,O=sipmtls test PKI":
        return f"certificate {p['certificates']}"
    if e["counts"] != [{"verdict_code": 3, "verdict": "Client certificate with clientAuth accepted", "count": 1}]:
        return f"counts {e['counts']}"
    return None


def merged(doc):
    counts = {c["verdict_code"]: c["count"] for c in doc["endpoints"][0]["counts"]}
    if sum(counts.values()) != 46 or counts.get(6) != 10:
        return f"counts {counts}"
    if doc["unaudited_tls_ports"] != [{"port": 5071, "connections": 1, "cert_requests": 1}]:
        return f"ports {doc['unaudited_tls_ports']}"
    return None


def per_connection(doc):
    if len(doc["connections"]) != 46 or doc["connections"][0]["file"] != w("all-merged.pcapng"):
        return f"{len(doc['connections'])} connections"
    return None


def folder_check(doc):
    names = sorted(f["name"] for f in doc["files"])
    if names != [os.path.join(folder, "tls12-no-request.pcapng"), os.path.join(folder, "tls12-required-clientauth.pcapng")]:
        return f"files {names}"
    if doc["endpoints"][0]["connections"] != 2 or len(doc["endpoints"][0]["files"]) != 2:
        return "endpoint not merged across the two files"
    return None


def truncated(doc):
    if doc["complete"] or doc["files"][0]["state"] != "truncated" or not doc["warnings"]:
        return "truncated file not marked"
    return None


def inferred(doc):
    if not doc["endpoints"][0]["top"]["inferred"]:
        return "verdict 8 without keys not marked inferred"
    return None


check([w("tls12-required-clientauth.pcapng")], 3, clientauth)
check([w("all-merged.pcapng")], 3, merged)
check(["--connections", w("all-merged.pcapng")], 3, per_connection)
check(["--keylog", w("all-merged.keys"), "--connections", w("all-merged.pcapng")], 3, per_connection)
check([folder], 3, folder_check)
check([w("cut.pcapng")], 3, truncated)
check([w("tls13-required-clientauth.pcapng")], 1, inferred)
check(["--fail-on", "client-auth", w("tls13-required-clientauth.pcapng")], 4, lambda d: None)
check([w("tls12-no-request.pcapng")], 0, lambda d: None if d["endpoints"][0]["class"] == "pass" else "class")

shutil.rmtree(work)
if failures:
    print(f"{failures} failure(s)")
    sys.exit(1)
print("json: every output validates against the schema")
