"""The chart: median req/s per system (bars) with the min–max over rounds (error bars)."""
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # no display on a server; must come before pyplot
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.ticker import FuncFormatter  # noqa: E402

COLORS = {"GET": "#3b75af", "POST": "#e0823d"}


def draw(results: dict, path: Path) -> None:
    concurrencies = results["settings"]["concurrencies"]
    labels = list(dict.fromkeys(r["label"] for r in results["rows"]))
    fig, axes = plt.subplots(len(concurrencies), 1, figsize=(11, 4.2 * len(concurrencies)),
                             squeeze=False)
    for axis, connections in zip(axes[:, 0], concurrencies):
        width = 0.38
        for shift, method in ((-width / 2, "GET"), (width / 2, "POST")):
            xs, heights, below, above = [], [], [], []
            for index, label in enumerate(labels):
                row = next((r for r in results["rows"] if r["label"] == label
                            and r["method"] == method and r["connections"] == connections), None)
                if row:
                    xs.append(index + shift)
                    heights.append(row["median_rps"])
                    below.append(row["median_rps"] - row["min_rps"])
                    above.append(row["max_rps"] - row["median_rps"])
            bars = axis.bar(xs, heights, width, yerr=[below, above], capsize=3,
                            color=COLORS[method], label=method)
            axis.bar_label(bars, labels=[f"{h:,.0f}" for h in heights], fontsize=7,
                           padding=2, label_type="edge")
        axis.set_xticks(range(len(labels)))
        axis.set_xticklabels([_wrap(label) for label in labels], fontsize=8)
        axis.set_ylabel("requests per second (median)")
        axis.yaxis.set_major_formatter(FuncFormatter(lambda value, _: f"{value:,.0f}"))
        axis.set_title(f"wrk -t1 -c{connections}, keep-alive — error bars: min–max over "
                       f"{results['settings']['rounds']} interleaved rounds", fontsize=10)
        axis.grid(axis="y", alpha=0.3)
        axis.set_axisbelow(True)
        axis.margins(y=0.15)
        axis.legend(loc="upper right")
    fig.suptitle(f"seedkeeper bench, {results['date']}, {results['machine']['summary']}",
                 fontsize=11)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def _wrap(label: str) -> str:
    """Two lines per tick label so nine systems fit side by side."""
    words = label.split(" ")
    best = min(range(1, len(words)), key=lambda i: abs(len(" ".join(words[:i])) - len(label) / 2),
               default=len(words))
    return " ".join(words[:best]) + "\n" + " ".join(words[best:])
