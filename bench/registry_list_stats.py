"""Registry list + key figures latency at 10k and 100k structures (issue 3), and the plans behind them.

For each size: structures (and one coordinator for three structures) are bulk-inserted straight into a
fresh database shaped like the service writes them, then the registry app answers over HTTP (Flask test
client, in process: JWT, validation, marshmallow, pagination count included). Baseline, measured in the
same run on the same data: the same query with bare pymongo (find + count, or the one $group).
`explain()` shows the winning plan of every query shape; a COLLSCAN fails the bench.

    .venv/bin/python -m bench registry_list_stats          # 10k and 100k
    .venv/bin/python -m bench.registry_list_stats 10000    # one size
"""
from __future__ import annotations

import datetime as dt
import random
import sys
import time
import uuid

from bench.common import mongo, percentile
from services.registry import stats
from services.registry import structures as service
from services.registry.store import INDEXES, PEOPLE, STRUCTURES, department_region, departments, structure_filter
from shared.config import Settings
from shared.http.auth import issue_token
from shared.mongo import get_client
from shared.runtime import ServiceRuntime

SIZES = (10_000, 100_000)
REQUESTS = 40
FEDERATION_OF_REGION = {"52": "apmsl", "84": "femasaura", "44": "femage", "75": "avecsante-na"}
WORDS = ["Santé", "Loire", "Pôle", "Vallée", "Bocage", "Estuaire", "Rives", "Val", "Centre", "Nord", "Sud", "Mont"]


def _federation(department: str) -> str:
    region = department_region()[department]
    return FEDERATION_OF_REGION.get(region, f"fed-{region}")


def structure_docs(n: int, rng: random.Random):
    codes = [d["code"] for d in departments()]
    now = dt.datetime.now(dt.timezone.utc)
    for i in range(n):
        dep = rng.choice(codes)
        status = rng.choices(["projet", "labellisee", "aci", "fermee"], [15, 35, 45, 5])[0]
        year = rng.randint(2008, 2025)
        created = dt.datetime(year, rng.randint(1, 12), 1, tzinfo=dt.timezone.utc)
        doc = {"_id": str(uuid.UUID(int=rng.getrandbits(128))), "federation": _federation(dep),
               **service.STRUCTURE_DEFAULTS, "kind": rng.choices(["MSP", "CPTS", "CDS", "ESP"], [70, 15, 10, 5])[0],
               "name": f"MSP {rng.choice(WORDS)} {rng.choice(WORDS)} {i}", "city": f"Commune {i % 5000}",
               "department": dep, "status": status, "created_on": created,
               "labellisee_on": created + dt.timedelta(days=400) if status in ("labellisee", "aci") else None,
               "aci_on": created + dt.timedelta(days=800) if status == "aci" else None,
               "archived": rng.random() < 0.02, "membership_years": [2024, 2025] if rng.random() < 0.5 else [],
               "status_history": [], "version": 1, "created_at": now, "updated_at": now}
        yield service.derived(doc)


def people_docs(structures: list[dict], rng: random.Random):
    now = dt.datetime.now(dt.timezone.utc)
    for i, s in enumerate(structures[::3]):
        yield {"_id": f"p{i}", "federation": s["federation"], "first_name": "Prénom", "last_name": f"Nom {i}",
               "email": None, "phone": None, "may_email": True, "demo": True, "erased": False,
               "employment_status": rng.choice(["health_professional", "employee", "micro_entrepreneur",
                                                "portage_salarial", "volunteer"]),
               "weekly_coordination_hours": rng.randint(3, 35), "coordination_mode": rng.choice(["solo", "pair"]),
               "roles": [{"id": f"r{i}", "structure_id": s["_id"], "role": "coordinator",
                          "start_on": now, "end_on": None}],
               "active_roles": ["coordinator"], "active_structure_ids": [s["_id"]],
               "name_sort": f"nom {i}", "version": 1, "created_at": now, "updated_at": now}


def bulk_insert(db, collection: str, docs, batch: int = 2000) -> None:
    chunk = []
    for doc in docs:
        chunk.append(doc)
        if len(chunk) == batch:
            db[collection].insert_many(chunk, ordered=False)
            chunk = []
    if chunk:
        db[collection].insert_many(chunk, ordered=False)


def timed(call, n: int = REQUESTS) -> list[float]:
    call()  # warm-up
    out = []
    for _ in range(n):
        started = time.perf_counter()
        call()
        out.append((time.perf_counter() - started) * 1000)
    return out


def fmt(ms: list[float]) -> str:
    return f"p50 {percentile(ms, 50):7.1f} ms  p99 {percentile(ms, 99):7.1f} ms"


def stages(plan: dict) -> str:
    out = []
    while plan:
        out.append(plan["stage"] + (f"({plan['indexName']})" if plan.get("indexName") else ""))
        plan = plan.get("inputStage")
    return " <- ".join(out)


def winning_plan(explained: dict) -> dict:
    if "queryPlanner" in explained:
        return explained["queryPlanner"]["winningPlan"]
    return explained["stages"][0]["$cursor"]["queryPlanner"]["winningPlan"]


def explain_find(db, query: dict, collection: str = STRUCTURES) -> str:
    command = {"find": collection, "filter": query, "sort": {"name_sort": 1, "_id": 1}, "limit": 20}
    return stages(winning_plan(db.command("explain", command)))


def explain_group(db, match: dict) -> str:
    command = {"aggregate": STRUCTURES, "cursor": {},
               "pipeline": [{"$match": match}, {"$group": {"_id": {"k": "$kind", "s": "$status", "d": "$department"},
                                                          "count": {"$sum": 1}}}]}
    return stages(winning_plan(db.command("explain", command)))


def run_size(url: str, size: int) -> dict:
    tag = uuid.uuid4().hex[:6]
    settings = Settings(mongo_url=url, mongo_db_prefix=f"benchreg{tag}_", log_level="WARNING", log_json=False)
    runtime = ServiceRuntime("registry", settings)
    db = runtime.db
    rng = random.Random(size)
    runtime.ensure_indexes()  # as the service does at start-up: the inserts maintain the indexes
    structures = list(structure_docs(size, rng))
    apmsl_count = sum(1 for s in structures if s["federation"] == "apmsl")
    print(f"\n--- {size:,} structures ({apmsl_count:,} of apmsl), {size // 3:,} coordinators", flush=True)
    started = time.monotonic()
    bulk_insert(db, STRUCTURES, structures)
    bulk_insert(db, PEOPLE, people_docs(structures, rng))
    print(f"  bulk insert (indexes maintained): {time.monotonic() - started:.1f} s", flush=True)

    app = runtime.create_app()
    client = app.test_client()
    staff = {"Authorization": f"Bearer {issue_token(settings, sub='bench', federation='apmsl', roles=['admin'])}"}
    national = {"Authorization": f"Bearer {issue_token(settings, sub='bench', federation=None, roles=['national'])}"}

    def http(path, headers=staff):
        def call():
            r = client.get(path, headers=headers)
            assert r.status_code == 200, r.json
        return call

    # Each case against its baseline: bare pymongo running the same queries on the same data (for lists,
    # the page and its count; for key figures, the same aggregation and coordinators' read, no HTTP).
    def bare_list(scope, args, page=1):
        query = structure_filter(scope, args)

        def call():
            list(db[STRUCTURES].find(query).sort([("name_sort", 1), ("_id", 1)]).skip((page - 1) * 20).limit(20))
            db[STRUCTURES].count_documents(query)
        return call

    def bare_stats(scope):
        def call():
            stats._structure_counts(db, scope)
            list(db[PEOPLE].find({**scope, "erased": False, "active_roles": "coordinator"},
                                 {"roles": 1, "employment_status": 1, "weekly_coordination_hours": 1,
                                  "coordination_mode": 1}))
        return call

    apmsl = {"federation": "apmsl"}
    cases = [
        ("list, department=44 (20 items)", http("/registry/v1/structures?department=44"),
         bare_list(apmsl, {"department": "44"})),
        ("list, whole federation", http("/registry/v1/structures"), bare_list(apmsl, {})),
        ("list, kind=MSP&status=aci", http("/registry/v1/structures?kind=MSP&status=aci"),
         bare_list(apmsl, {"kind": "MSP", "status": "aci"})),
        ("list, page 10", http("/registry/v1/structures?page=10"), bare_list(apmsl, {}, page=10)),
        ("list, q=sante", http("/registry/v1/structures?q=sante"), bare_list(apmsl, {"q": "sante"})),
        ("list, national, department=44", http("/registry/v1/structures?department=44", national),
         bare_list({}, {"department": "44"})),
        ("stats, apmsl", http("/registry/v1/stats"), bare_stats(apmsl)),
        ("stats, national (all)", http("/registry/v1/stats", national), bare_stats({})),
    ]
    results = {}
    print(f"  {'case':34s} {'HTTP (registry app)':34s} {'baseline (bare pymongo)':34s} ratio p50")
    for name, call, bare in cases:
        n = REQUESTS if size <= 10_000 else REQUESTS // 4
        n = n if name != "stats, national (all)" else max(3, n // 4)
        ms, base = timed(call, n), timed(bare, n)
        results[name] = percentile(ms, 50)
        print(f"  {name:34s} {fmt(ms):34s} {fmt(base):34s} ×{percentile(ms, 50) / percentile(base, 50):.2f}")

    group_match = {"federation": "apmsl", "archived": False}
    dep_query = structure_filter(apmsl, {"department": "44"})
    print("  winning plans (explain):")
    shapes = {
        "list, whole federation": structure_filter({"federation": "apmsl"}, {}),
        "list, department=44": dep_query,
        "list, kind=MSP&status=aci": structure_filter({"federation": "apmsl"}, {"kind": "MSP", "status": "aci"}),
        "list, q=sante": structure_filter({"federation": "apmsl"}, {"q": "sante"}),
        "list, status=aci&department=44": structure_filter({"federation": "apmsl"}, {"status": "aci",
                                                                                       "department": "44"}),
        "list, member_year=2024": structure_filter({"federation": "apmsl"}, {"member_year": 2024}),
        "list, national, department=44": structure_filter({}, {"department": "44"}),
        "list, local group": structure_filter({"federation": "apmsl"}, {"local_group_id": "g"}),
    }
    scans = []
    for name, query in shapes.items():
        plan = explain_find(db, query)
        scans += [name] if "COLLSCAN" in plan else []
        print(f"    {name:40s} {plan}")
    for name, match in {"stats $group, apmsl": group_match, "stats $group, national": {"archived": False},
                        "stats targets (MSP by status, dept)": {"federation": "apmsl", "archived": False,
                                                                "kind": "MSP"}}.items():
        plan = explain_group(db, match)
        scans += [name] if "COLLSCAN" in plan else []
        print(f"    {name:40s} {plan}")
    plan = explain_find(db, {"federation": "apmsl", "erased": False, "active_roles": "coordinator"}, PEOPLE)
    scans += ["people, role=coordinator"] if "COLLSCAN" in plan else []
    print(f"    {'people, role=coordinator (coordinator profile)':40s} {plan}")
    get_client(url).drop_database(db.name)
    if scans:
        raise SystemExit(f"collection scans in: {', '.join(scans)}")
    return results


def main() -> None:
    sizes = [int(a) for a in sys.argv[1:] if a.isdigit()] or list(SIZES)
    names = [i for i in INDEXES if i.collection == STRUCTURES]
    print(f"structures indexes: {len(names)}; {REQUESTS} requests per case, Flask test client in process")
    with mongo() as url:
        figures = {size: run_size(url, size) for size in sizes}
    if len(figures) > 1:
        small, large = figures[min(figures)], figures[max(figures)]
        print(f"\n×{max(figures) // min(figures)} structures → p50 ratio per case:")
        for name in small:
            print(f"  {name:48s} ×{large[name] / small[name]:.1f}")


if __name__ == "__main__":
    main()
