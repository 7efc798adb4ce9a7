"""The deploy README's cost table prices what the template builds with its defaults: as many
instances, Redis nodes, public IPv4 addresses and volumes as it creates, each price cited to an AWS
page, the per-hour figures worked out from the unit prices, and the total their sum. A template
change that the table does not follow fails here."""
import re
from pathlib import Path

import pytest

from moto_template import load_template
from template_policy import resources

REPO_ROOT = Path(__file__).resolve().parents[2]
README = REPO_ROOT / "deploy" / "aws" / "README.md"
HOURS_PER_MONTH = 730          # AWS's pricing pages turn monthly prices into hourly ones with 730
ROOT_VOLUME_GB = 8             # Amazon Linux 2023's AMIs have an 8 GB root volume
CITED = re.compile(r"\]\((https://(aws\.amazon\.com|docs\.aws\.amazon\.com)/[^)]+)\)")


@pytest.fixture(scope="module")
def template():
    return load_template()


@pytest.fixture(scope="module")
def rows():
    text = README.read_text()
    section = text[text.index("## Cost ("):]
    section = section[:section.index("\n\n", section.index("| item"))]
    cells = [[c.strip() for c in line.strip("|").split("|")] for line in section.splitlines()
             if line.startswith("|") and not line.startswith("|---")]
    assert cells[0] == ["item", "price (source)", "per hour"], cells[0]
    return {row[0]: row for row in cells[1:]}


def dollars(cell: str) -> float:
    match = re.search(r"\$([0-9.]+)", cell)
    assert match, cell
    return float(match.group(1))


def row_starting(rows, prefix: str):
    found = [row for item, row in rows.items() if item.startswith(prefix)]
    assert len(found) == 1, f"no single cost row starting {prefix!r}: {list(rows)}"
    return found[0]


def default(template, name):
    return str(template["Parameters"][name]["Default"])


def public_ipv4_count(template) -> int:
    instances = sum(1 for _, res in resources(template, "AWS::EC2::Instance")
                    for nic in res["Properties"].get("NetworkInterfaces", [])
                    if nic.get("AssociatePublicIpAddress") is True)
    # An internet-facing ALB has a public address in each of its subnets' zones.
    albs = sum(len(res["Properties"]["Subnets"])
               for _, res in resources(template, "AWS::ElasticLoadBalancingV2::LoadBalancer")
               if res["Properties"].get("Scheme") == "internet-facing")
    return instances + albs


def test_rows_count_what_the_template_creates(template, rows):
    instances = len(list(resources(template, "AWS::EC2::Instance")))
    row_starting(rows, f"{instances} × {default(template, 'InstanceType')}")
    row_starting(rows, f"ElastiCache {default(template, 'RedisNodeType')}, {default(template, 'RedisNodeCount')} node")
    row_starting(rows, f"{public_ipv4_count(template)} public IPv4 addresses")
    row_starting(rows, f"{instances} × {ROOT_VOLUME_GB} GB gp3")
    if list(resources(template, "AWS::Scheduler::Schedule")):
        row_starting(rows, "the expiry schedule")


def test_each_price_is_cited_to_an_aws_page(rows):
    for item, (_, price, per_hour) in rows.items():
        if item.startswith("**total") or per_hour.startswith("<"):
            continue
        assert CITED.search(price), f"{item}: no AWS page cited for {price!r}"


def test_per_hour_figures_follow_from_the_unit_prices_and_add_up(template, rows):
    instances = len(list(resources(template, "AWS::EC2::Instance")))
    _, price, per_hour = row_starting(rows, f"{instances} × {default(template, 'InstanceType')}")
    assert dollars(per_hour) == pytest.approx(instances * dollars(price), abs=0.0005)
    _, price, per_hour = row_starting(rows, f"{public_ipv4_count(template)} public IPv4")
    assert dollars(per_hour) == pytest.approx(public_ipv4_count(template) * dollars(price), abs=0.0005)
    _, price, per_hour = row_starting(rows, f"{instances} × {ROOT_VOLUME_GB} GB gp3")
    monthly = instances * ROOT_VOLUME_GB * dollars(price)
    assert dollars(per_hour) == pytest.approx(monthly / HOURS_PER_MONTH, abs=0.0005)
    total = dollars(row_starting(rows, "**total")[2])
    parts = sum(dollars(row[2]) for item, row in rows.items()
                if not item.startswith("**total") and not row[2].startswith("<") and "$" in row[2])
    assert total == pytest.approx(parts, abs=0.005), (total, parts)


def test_free_tier_names_the_elasticache_types_it_covers_and_the_albs_addresses(template):
    text = " ".join(README.read_text().split())
    free_tier = text[text.index("**Free tier.**"):]
    assert "750 hours of **cache.t2.micro or cache.t3.micro**" in free_tier
    assert default(template, "RedisNodeType") in ("cache.t2.micro", "cache.t3.micro")
    assert "The ALB's addresses are always billed" in free_tier


HOURS_PER_DAY = 24


def figures(text: str):
    """The hour, day and month figures of a cost sentence ("$0.08 an hour, $2 a day, $60 a month"
    or "$0.08 per hour (≈ $2 a day, ≈ $60 a month)"), in that order."""
    found = re.search(r"\$([0-9.]+) (?:an|per) hour\W+(?:about |≈ )?\$([0-9.]+) a day\W+(?:about |≈ )?"
                      r"\$([0-9.]+) a month", text)
    assert found, f"no hour, day and month figures in {text!r}"
    return tuple(float(g) for g in found.groups())


def warning_box() -> str:
    """The README's opening warning (the quoted lines that say to run `down`)."""
    lines = README.read_text().splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("> **When you are done"))
    box = []
    for line in lines[start:]:
        if not line.startswith(">"):
            break
        box.append(line.lstrip("> ").rstrip())
    return " ".join(box)


def test_the_totals_day_and_month_follow_from_its_hour(rows):
    hour, day, month = figures(row_starting(rows, "**total")[2])
    parts = sum(dollars(row[2]) for item, row in rows.items()
                if not item.startswith("**total") and not row[2].startswith("<") and "$" in row[2])
    assert hour == pytest.approx(parts, abs=0.005), (hour, parts)
    assert day == pytest.approx(parts * HOURS_PER_DAY, abs=0.5), (day, parts * HOURS_PER_DAY)
    assert month == pytest.approx(parts * HOURS_PER_MONTH, rel=0.05), (month, parts * HOURS_PER_MONTH)


def test_the_warning_box_gives_the_tables_total(rows):
    """The figures a reader sees first are the cost table's total, not another estimate."""
    assert figures(warning_box()) == figures(row_starting(rows, "**total")[2]), warning_box()
