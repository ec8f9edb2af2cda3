#!/usr/bin/env python3
"""Writes a quota-case/1 recruitment of N applicants (default 1000) for agency BENCH (Busan,
kr-innovation-city), one unit, written exam then interview, with the recruitment id given.
Deterministic: applicant i's scores and education come from i alone.
usage: make_case.py ID [N] > case.json"""
import json
import sys

rid = sys.argv[1]
n = int(sys.argv[2]) if len(sys.argv) > 2 else 1000
applicants = []
for i in range(n):
    local = i % 5 == 0
    applicants.append({
        "id": f"{rid}-{i:06d}",
        "education": [
            {"level": "high_school", "region": "seoul", "status": "graduated"},
            {"level": "university", "region": "busan" if local else "seoul", "status": "graduated"},
        ],
        "scores": {"written": f"{50 + (i * 37) % 50}.{i % 10}", "interview": f"{60 + (i * 53) % 40}"},
    })
case = {
    "format": "quota-case/1",
    "agency": {"code": "BENCH", "region": "busan", "designated": 2018},
    "recruitment": {"id": rid, "announced": "2023-03-06"},
    "programs": ["kr-innovation-city"],
    "units": [{
        "id": "U1", "field": "office", "planned": 20,
        "stages": [
            {"name": "written", "planned": 60, "threshold": {"min_score": "60"}},
            {"name": "interview", "planned": 20, "threshold": {"min_score": "70", "below_cut": "10"}},
        ],
        "applicants": applicants,
    }],
}
json.dump(case, sys.stdout)
