"""The browsing documents (browse.py) as sheets for people to read: what the table and Markdown formats show.

Everything here reads the JSON document only, so the human formats can show nothing the JSON lacks.
"""

from __future__ import annotations

from collections.abc import Callable

from skinrec.browse import Doc
from skinrec.export import DISCLAIMER
from skinrec.sheet import Bullets, Column, Fields, Grid, Paragraph, Sheet, Span, Words
from skinrec.wording import cost_text, counted, estimated, money_span, sessions_text

SEVERITY_WORDS = {"exclude": "never recommended", "caution": "recommended with a warning and a lower score"}
Cell = Callable[[Doc], Words]  # one compared treatment's cell in a row of `compare`
BROWSE_HINT = "See 'skinrec show ID' for a treatment's full card, 'skinrec compare ID ID' to compare."


def _pih_risk(level: str) -> str:
    """'low risk', 'high risk'; and for `none`, words rather than 'none risk'."""
    return "no particular risk" if level == "none" else f"{level} risk"


def _range(low_high: Doc) -> tuple[float, float]:
    return low_high["min"], low_high["max"]


def _downtime(t: Doc) -> str:
    return counted(*_range(t["downtime_days"]), "day")


def _sessions(card: Doc) -> str:
    return sessions_text(*_range(card["sessions"]), card["sessions"]["interval_weeks"], card["estimates"])


def _money(cost: Doc) -> str:
    return money_span(*_range(cost))


def _estimated(card: Doc, *keys: str) -> str:
    """`wording.estimated` for a card's figures (the reasons are listed under Estimates)."""
    return estimated(card["estimates"], *keys)


def _rating(rating: str, estimate: str | None = None) -> Span:
    return Span(rating + (" (estimate)" if estimate else ""), "good" if rating == "strong" else "")


def _estimates(card: Doc) -> tuple[Words, ...]:
    """Why each estimated figure is what it is, in the card's words."""
    names = {
        "downtime_days": "Downtime",
        "sessions": "Sessions",
        "interval_weeks": "Time between sessions",
        "cost_per_session_usd": "Cost",
        "pain": "Pain",
        "pih_risk": "Darker skin",
    }
    figures = tuple(f"{names[key]}: {why}" for key, why in card["estimates"].items())
    ratings = tuple(f"{e['label']} ({e['rating']}): {e['estimate']}" for e in card["efficacy"] if e["estimate"])
    steps = tuple(f"{e['section'].capitalize()}, step {e['step']}: {e['estimate']}" for e in card["step_estimates"])
    return figures + ratings + steps


def _steps(card: Doc, section: str) -> tuple[Words, ...]:
    """A card's preparation or aftercare steps, marked `(estimate)` where the knowledge base marks one as a
    judgment, as an estimated figure is marked (the reasons are listed under Estimates)."""
    judged = {e["step"] for e in card["step_estimates"] if e["section"] == section}
    return tuple(
        step + (" (estimate)" if number in judged else "") for number, step in enumerate(card[section], start=1)
    )


def _name_and_id(name: str, ident: str, *extra: Span) -> Words:
    return (name + "\n", Span(ident, "id"), *extra)


def _source(source: Doc) -> str:
    """A source led by its id: explanations and estimates cite sources by id, "(mayo_acne)", as the knowledge
    base does, and the list is where a reader looks that up."""
    return f"{source['id']}: {source['title']} ({source['url'] or 'seed article ' + source['seed']})"


def treatments_sheet(doc: Doc) -> Sheet:
    """One row per treatment; the best concerns are ids, so they can be pasted into --concern."""
    columns = (Column("Treatment", 3), Column("Downtime, sessions", 2), Column("Per session", 2), Column("Best for", 2))
    rows = tuple(
        (
            _name_and_id(t["name"], t["id"], Span(f"\n{t['setting']}", "muted")),
            f"{_downtime(t)}\n{counted(*_range(t['sessions']), 'session')}",
            _money(t["cost_per_session_usd"]),
            "\n".join(f"{concern['id']} ({concern['rating']})" for concern in t["top_concerns"]),
        )
        for t in doc["treatments"]
    )
    return Sheet("Treatments", (Grid(columns, rows),), BROWSE_HINT)


def _contraindications(card: Doc, severity: str) -> tuple[Words, ...]:
    return tuple(
        (item["when_text"] + " ", Span(f"[{item['rule']}]", "id"))
        for item in card["contraindications"]
        if item["severity"] == severity
    )


def treatment_sheet(doc: Doc) -> Sheet:
    """The full card, in the order a person decides: what it is, whether it works, what it costs, whether it is
    safe for them, then how to prepare and recover."""
    card = doc["treatment"]
    glance: tuple[tuple[str, Words], ...] = (
        ("Setting", card["setting"]),
        ("Tags", ", ".join(card["tags"])),
        ("Downtime", _downtime(card) + _estimated(card, "downtime_days")),
        ("Sessions", _sessions(card)),
        ("Cost", cost_text(_range(card["cost_per_session_usd"]), _range(card["course_cost_usd"]), card["estimates"])),
        ("Pain", f"{card['pain']['level']}{_estimated(card, 'pain')}. {card['pain']['numbing']}"),
        (
            "Darker skin",
            f"{_pih_risk(card['pih_risk']['level'])} of dark marks (PIH){_estimated(card, 'pih_risk')}"
            + (f". {card['pih_risk']['note']}" if card["pih_risk"]["note"] else ""),
        ),
    )
    blocks = (
        Paragraph(card["summary"]),
        Paragraph(card["mechanism"], "How it works"),
        Fields(glance, "At a glance"),
        Fields(tuple((e["label"], _rating(e["rating"], e["estimate"])) for e in card["efficacy"]), "Efficacy"),
        Bullets(_contraindications(card, "exclude"), "Not for you if (exclude)"),
        Bullets(_contraindications(card, "caution"), "Take care if (caution)"),
        Bullets(_steps(card, "preparation"), "Preparation"),
        Bullets(_steps(card, "aftercare"), "Aftercare"),
        Bullets(_estimates(card), "Estimates (figures and steps no source gives exactly)"),
        Bullets(tuple(_source(source) for source in card["sources"]), "Sources"),
    )
    return Sheet(f"{card['name']} ({card['id']})", tuple(b for b in blocks if not _empty(b)), DISCLAIMER)


def _empty(block: Paragraph | Fields | Grid | Bullets) -> bool:
    return isinstance(block, Bullets | Fields) and not block.items


def _verdict(verdict: Doc) -> Words:
    """The "For you" cell of `compare`: ruled out (by what, and why: the rule's message or the limit it breaks),
    not relevant, or fits (rank, and each caution with its advice, as `recommend` gives it)."""
    status = verdict["status"]
    if status == "ruled_out":
        why = (f"\n{r.get('rule') or r['constraint']}: {r['message']}" for r in verdict["reasons"])
        return Span("ruled out" + "".join(why), "bad")
    if status == "not_relevant":
        return Span("does not treat your concerns", "muted")
    fits = Span(f"#{verdict['rank']} for you (score {verdict['score']})" if verdict["rank"] else "fits you", "good")
    return (fits, *(Span(f"\ncaution {c['rule']}: {c['message']}", "warn") for c in verdict["cautions"]))


def _joined_when(severity: str) -> Cell:
    def cell(card: Doc) -> Words:
        found = "; ".join(item["when_text"] for item in card["contraindications"] if item["severity"] == severity)
        # an empty cell read as a gap in the table, and "none known" as a claim about the treatment
        return found or Span("no rule in this knowledge base", "muted")

    return cell


def _efficacy_for(concern: str) -> Cell:
    def cell(card: Doc) -> Words:
        rated = [e for e in card["efficacy"] if e["concern"] == concern]
        return _rating(rated[0]["rating"], rated[0]["estimate"]) if rated else Span("none", "muted")

    return cell


def compare_sheet(doc: Doc, profile_text: str | None) -> Sheet:
    """One column per treatment, one row per fact, as the source articles compare them; the document's notices
    follow the profile, as `recommend` shows them (what was not asked or given)."""
    cells: list[tuple[str, Cell]] = [("Id", lambda card: Span(card["id"], "id"))]
    if profile_text is not None:
        cells.append(("For you", lambda card: _verdict(card["verdict"])))
    cells.append(("How it works", lambda card: card["mechanism"]))
    cells += [(concern["label"], _efficacy_for(concern["id"])) for concern in doc["concerns"]]
    cells += [
        ("Setting", lambda card: card["setting"]),
        ("Downtime", lambda card: _downtime(card) + _estimated(card, "downtime_days")),
        ("Sessions", _sessions),
        (
            "Cost per session",
            lambda card: _money(card["cost_per_session_usd"]) + _estimated(card, "cost_per_session_usd"),
        ),
        (
            "Cost per course",
            lambda card: _money(card["course_cost_usd"]) + _estimated(card, "cost_per_session_usd", "sessions"),
        ),
        ("Pain", lambda card: card["pain"]["level"] + _estimated(card, "pain")),
        ("Dark-mark (PIH) risk", lambda card: card["pih_risk"]["level"] + _estimated(card, "pih_risk")),
        ("Not if", _joined_when("exclude")),
        ("Caution if", _joined_when("caution")),
    ]
    cards = doc["treatments"]
    rows = tuple((label, *(cell(card) for card in cards)) for label, cell in cells)
    columns = (Column("", 0), *(Column(card["name"]) for card in cards))
    blocks: tuple[Paragraph | Grid, ...] = (Grid(columns, rows),)
    if profile_text is not None:
        blocks = (Paragraph(f"Profile: {profile_text}"), *map(Paragraph, doc["notices"]), *blocks)
    return Sheet("Compared: " + ", ".join(card["id"] for card in cards), blocks, DISCLAIMER)


def concerns_sheet(doc: Doc) -> Sheet:
    """One row per concern, with the other names --concern accepts and its treatments grouped by rating."""

    def helped_by(concern: Doc) -> str:
        by_rating: dict[str, list[str]] = {}
        for entry in concern["treatments"]:
            by_rating.setdefault(entry["rating"], []).append(entry["id"])
        return "\n".join(f"{rating}: {', '.join(ids)}" for rating, ids in by_rating.items())

    rows = tuple(
        (
            _name_and_id(c["label"], c["id"]),
            (c["description"], Span("\nalso: " + ", ".join(c["synonyms"]), "muted"))
            if c["synonyms"]
            else c["description"],
            helped_by(c),
        )
        for c in doc["concerns"]
    )
    columns = (Column("Concern", 2), Column("What it is", 3), Column("Treatments that help", 3))
    return Sheet("Concerns", (Grid(columns, rows),), "Pass any id, label or 'also' name to --concern.")


def conditions_sheet(doc: Doc) -> Sheet:
    """One row per condition, as the questionnaire asks it (and, where it waits on another's yes, which), with the
    rules its answer feeds and, where it has one, its effect on scoring."""

    def question(c: Doc) -> Words:
        rules = [Span(part, tone) for rule in c["rules"] for part, tone in ((", ", "muted"), (rule, "id"))][1:]
        help_line = [Span("\n" + c["help"], "muted")] if c["help"] else []
        gated = [Span("\nasked only after a yes to ", "muted"), Span(c["ask_if"], "id")] if c["ask_if"] else []
        also = [Span("\nalso: " + ", ".join(c["synonyms"]), "muted")] if c["synonyms"] else []
        scoring = "\nscoring: demotes treatments with a dark-mark (PIH) risk, as darker skin types do"
        pih = [Span(scoring, "muted")] if c["pih_demotion"] else []
        listed = [Span("\nrules: ", "muted"), *rules] if rules else []  # a condition read by scoring alone
        return (c["question"], *help_line, *gated, *also, *listed, *pih)

    rows = tuple((_name_and_id(c["label"], c["id"]), question(c)) for c in doc["conditions"])
    columns = (Column("Condition", 1), Column("Screening question, and the rules reading it", 3))
    return Sheet(
        "Conditions",
        (Grid(columns, rows),),
        "Pass any id, label or 'also' name to --condition. Fitzpatrick skin type is asked separately (--skin-type).",
    )


def rules_sheet(doc: Doc) -> Sheet:
    """One row per rule; the message and explanation are left to `skinrec rule ID` to keep rows short."""
    rows = tuple(
        (
            # the severity in brackets: under an id that wraps at its hyphens, a bare "caution" read as its last word
            (Span(r["id"], "id"), Span(f"\n({r['severity']})", "bad" if r["severity"] == "exclude" else "warn")),
            r["when_text"],
            "\n".join(r["applies_to"]["resolved"]),
        )
        for r in doc["rules"]
    )
    columns = (Column("Rule", 3), Column("When", 2), Column("Applies to", 2))
    return Sheet("Contraindication rules", (Grid(columns, rows),), "See 'skinrec rule ID' for a rule in full.")


def rule_sheet(doc: Doc) -> Sheet:
    """One rule in full, like `ruff rule`: what it says, when it fires, what it reaches, why, and where from."""
    rule = doc["rule"]
    applies = rule["applies_to"]
    reach = ", ".join(applies["resolved"])
    if applies["tags"]:  # tags are spelt out, since what they reach changes as treatments are tagged
        named = [f"treatments {', '.join(applies['treatments'])}"] if applies["treatments"] else []
        reach = f"{'; '.join([*named, 'tags ' + ', '.join(applies['tags'])])} (that is: {reach})"
    fields: tuple[tuple[str, Words], ...] = (
        ("Severity", f"{rule['severity']} ({SEVERITY_WORDS[rule['severity']]})"),
        ("When", rule["when_text"]),
        ("Applies to", reach),
        ("File", rule["file"]),
        ("Tests", f"{len(rule['tests'])} embedded cases; 'skinrec rules check' runs them"),
    )
    blocks = (
        Paragraph(rule["message"]),
        Fields(fields),
        Paragraph(rule["explanation"], "Explanation"),
        Bullets(tuple(_source(source) for source in rule["sources"]), "Sources"),
    )
    return Sheet(rule["id"], blocks)
