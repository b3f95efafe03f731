"""``studyvpc paths`` (also ``config``): where studyvpc keeps and reads everything, as in effect.

studyvpc has no configuration file: everything is chosen by options and environment variables
(`studyvpc.locations`), so "the configuration" is these paths and where each came from.
"""

from __future__ import annotations

import argparse
import os

from studyvpc.ui.cli.main import add_common


def register(sub: argparse._SubParsersAction) -> None:
    for name, help in (("paths", "show where progress, backups, the cache and the content are"),
                       ("config", "the same as paths: the configuration in effect")):
        _add(sub, name, help)


def _add(sub: argparse._SubParsersAction, name: str, help: str) -> None:
    p = sub.add_parser(name, help=help,
                       description="Print the folders and files in effect: progress database, "
                                   "its backups and saved exam, the parsed-content cache and the "
                                   "content folders, each with what chose it (an option, an "
                                   "environment variable or the default). studyvpc has no "
                                   "configuration file.")
    p.add_argument("--json", action="store_true", help="print them as JSON")
    add_common(p)
    p.set_defaults(handler=run)


def _source(cli_value, env: str) -> str:
    if cli_value:
        return "option"
    if os.environ.get(env, "").strip():
        return f"${env}"
    return "default"


def run(args: argparse.Namespace) -> int:
    import json

    from studyvpc import locations
    from studyvpc.content.textutil import visible_line
    from studyvpc.progress.exam_file import FILENAME
    from studyvpc.progress.store import DB_NAME
    from studyvpc.progress.store.restore import BACKUP_GLOB

    data = locations.data_dir(args.data_dir)
    backups = sorted(data.glob(BACKUP_GLOB)) if data.is_dir() else []
    content = locations.content_dirs(args.content)
    rows = {
        "data_dir": (str(data), _source(args.data_dir, locations.ENV_DATA_DIR)),
        "database": (str(data / DB_NAME), "in the data folder"),
        "backups": (str(data / BACKUP_GLOB), f"in the data folder; {len(backups)} there now"),
        "saved_exam": (str(data / FILENAME), "in the data folder, while an exam is unfinished"),
        "cache_dir": (str(locations.cache_dir()), _source(None, locations.ENV_CACHE_DIR)),
        "content": ([str(c) for c in content],
                    _source(args.content, locations.ENV_CONTENT).replace(
                        "default", "default: the bundled deck")),
    }
    if args.json:
        print(json.dumps({k: {"path": v, "from": s} for k, (v, s) in rows.items()}, indent=2,
                         ensure_ascii=True))
        return 0
    labels = {"data_dir": "Data folder", "database": "Progress database", "backups": "Backups",
              "saved_exam": "Unfinished exam", "cache_dir": "Content cache",
              "content": "Content"}
    width = max(len(v) for v in labels.values())
    for key, (value, source) in rows.items():
        shown = os.pathsep.join(value) if isinstance(value, list) else value
        print(f"{labels[key]:<{width}}  {visible_line(shown)}  ({source})")
    print("Change them with --data-dir DIR or $STUDYVPC_DATA_DIR, $STUDYVPC_CACHE_DIR, and "
          "--content DIR or $STUDYVPC_CONTENT. Restore a backup: studyvpc progress restore")
    return 0
