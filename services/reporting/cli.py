"""Operator commands of the reporting service: accounts of the coordinator page, and exports from the shell.

    uv run python -m services.reporting.cli accounts create --login L --role coordinator --region DE-SL [--generate]
    uv run python -m services.reporting.cli accounts create --login L --role partner --org ORG --password-file F
    uv run python -m services.reporting.cli accounts create --login L --role funder
    uv run python -m services.reporting.cli accounts list
    uv run python -m services.reporting.cli accounts disable --login L
    uv run python -m services.reporting.cli export --format xlsx --out report.xlsx --period esf-2026 --region DE-SL

It reads DATABASE_URL like the services do and applies the reporting schema's migrations first, so accounts can be
created before the service ever ran. An export runs the same `figures.report` as the page, with the scope given
here: `--region` makes it a coordinator's (those regions), `--org` alone a partner's, neither a funder's
aggregates; `--role` says so explicitly.
"""

from __future__ import annotations

import argparse
import asyncio
import getpass
import secrets
import sys
from collections.abc import Sequence
from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import asyncpg

from services.reporting import accounts, exports, figures
from services.reporting.figures import Filters, Role, Scope
from shared.postgres import migrate
from shared.settings import ServiceSettings

SCHEMA = "reporting"
MIGRATIONS = Path(__file__).parent / "migrations"


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="python -m services.reporting.cli", description=__doc__.splitlines()[0])
    commands = top.add_subparsers(dest="command", required=True)
    account = commands.add_parser("accounts", help="accounts of the coordinator page").add_subparsers(
        dest="action", required=True
    )
    create = account.add_parser("create", help="a new account")
    create.add_argument("--login", required=True)
    create.add_argument("--role", required=True, choices=[r.value for r in Role])
    create.add_argument("--region", action="append", default=[], help="a coordinator's region (repeatable)")
    create.add_argument("--org", help="a partner's organisation id")
    secret = create.add_mutually_exclusive_group()
    secret.add_argument("--password-file", type=Path, help="read the password from the file's first line")
    secret.add_argument("--generate", action="store_true", help="generate a password and print it once")
    account.add_parser("list", help="all accounts")
    off = account.add_parser("disable", help="disable an account and end its sessions")
    off.add_argument("--login", required=True)
    export = commands.add_parser("export", help="the report as CSV or XLSX")
    export.add_argument("--format", required=True, choices=["csv", "xlsx"])
    export.add_argument("--out", required=True, type=Path)
    export.add_argument("--role", choices=[r.value for r in Role], help="default: from --region / --org")
    export.add_argument("--region", action="append", default=[], help="coordinator scope (repeatable)")
    export.add_argument("--org", help="partner scope, or a filter of a coordinator's or funder's report")
    export.add_argument("--period")
    export.add_argument("--from", dest="from_day", type=date.fromisoformat)
    export.add_argument("--to", dest="to_day", type=date.fromisoformat)
    export.add_argument("--district")
    export.add_argument("--profession")
    export.add_argument("--country-group", choices=["eu_eea_ch", "third_country"])
    export.add_argument("--language", default="de", choices=["de", "en"])
    return top


def export_request(args: argparse.Namespace) -> tuple[Filters, Scope]:
    """The filters and the scope an export runs with (ValueError when they do not fit together)."""
    role = (
        Role(args.role) if args.role else Role.COORDINATOR if args.region else Role.PARTNER if args.org else Role.FUNDER
    )
    regions = frozenset(args.region)
    if role is Role.COORDINATOR and not regions:
        raise ValueError("a coordinator's export needs --region")
    if role is Role.PARTNER and (not args.org or regions):
        raise ValueError("a partner's export needs --org and no --region")
    if role is Role.COORDINATOR:
        scope = Scope(role=role, regions=regions)
    elif role is Role.PARTNER:
        scope = Scope(role=role, org_id=args.org)
    else:
        scope = Scope(role=role)
    filters = Filters(
        period_id=args.period,
        from_day=args.from_day,
        to_day=args.to_day,
        region=next(iter(regions)) if role is Role.FUNDER and len(regions) == 1 else None,
        district=args.district,
        org_id=args.org if role is not Role.PARTNER else None,
        profession=args.profession,
        country_group=args.country_group,
    )
    if role is Role.FUNDER and len(regions) > 1:
        raise ValueError("a funder's export filters on one --region at most")
    return filters, scope


def read_password(args: argparse.Namespace) -> str:
    if args.password_file:
        lines = Path(args.password_file).read_text().splitlines()
        return lines[0] if lines else ""
    if args.generate:
        password = secrets.token_urlsafe(18)
        print(f"password for {args.login}: {password}")
        return password
    first = getpass.getpass(f"password for {args.login}: ")
    if first != getpass.getpass("again: "):
        raise ValueError("the passwords differ")
    return first


async def run(args: argparse.Namespace, settings: ServiceSettings) -> int:
    await migrate(settings.database_url, SCHEMA, MIGRATIONS)
    conn = await asyncpg.connect(settings.database_url, server_settings={"search_path": SCHEMA})
    try:
        if args.command == "accounts":
            return await _accounts(conn, args)
        filters, scope = export_request(args)
        today = datetime.now(UTC).astimezone(ZoneInfo("Europe/Berlin")).date()
        report = await figures.report(conn, filters, scope, today)
        body = exports.to_csv(report, args.language) if args.format == "csv" else exports.to_xlsx(report, args.language)
        args.out.write_bytes(body)
        print(f"{args.out}: {len(body)} bytes, {scope.role.value} scope")
        return 0
    finally:
        await conn.close()


async def _accounts(conn: asyncpg.Connection, args: argparse.Namespace) -> int:
    if args.action == "create":
        account = accounts.new_account(args.login, Role(args.role), read_password(args), args.region, args.org)
        await accounts.create(conn, account)
        print(f"created {account.login} ({account.role.value})")
    elif args.action == "list":
        for a in await accounts.all_accounts(conn):
            seen = ",".join(sorted(a.regions)) or a.org_id or "-"
            print(f"{a.login}\t{a.role.value}\t{seen}\t{'disabled' if a.disabled else 'active'}")
    elif not await accounts.disable(conn, args.login):
        print(f"no account {args.login!r}", file=sys.stderr)
        return 1
    else:
        print(f"disabled {args.login}")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return asyncio.run(run(args, ServiceSettings()))
    except (accounts.AccountError, ValueError, OSError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
