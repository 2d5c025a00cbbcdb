"""`python -m bench`: run every benchmark module in bench/ (or the ones named on the command line).

Options and numbers (`--quick`, sizes) are left on sys.argv for the benchmarks that read them."""
import importlib
import pkgutil
import sys
from pathlib import Path

# What the benchmarks import or start as processes of their own: not benchmarks.
HELPERS = ("common", "baseline_app", "e2e_driver", "store_meter", "peers", "maillage_subscriber")

named = [a for a in sys.argv[1:] if not a.startswith("-") and not a.isdigit()]
names = named or sorted(m.name for m in pkgutil.iter_modules([str(Path(__file__).parent)])
                        if not m.name.startswith("_") and m.name not in HELPERS)
for name in names:
    print(f"\n=== bench.{name} ===", flush=True)
    importlib.import_module(f"bench.{name}").main()
