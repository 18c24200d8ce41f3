"""The client-meeting walk-through: "Which SOC report do you need?"

Plain yes/no questions; each answer updates, live, the recommendation (SOC 1, SOC 2, both or
neither), why, the Trust Services Categories and the report type, beside the SOC 1 / SOC 2 / SOC 3
comparison. The decision is :func:`socanalysis.explain`'s: the questions fill its ``answers``.

>>> app = MeetingApp()
>>> app.recommendation["soc_report"]
'Undetermined'
>>> app.answer("q_financial_reporting", True)
>>> app.recommendation["soc_report"]
'SOC 1'
>>> app.answer("q_personal_data", True)
>>> app.recommendation["soc_report"], "Privacy" in app.recommendation["tsc_categories"]
('Both', True)
"""

from __future__ import annotations

import datetime as _dt
import html
import os
import re
from collections.abc import Mapping
from typing import Any

import ipywidgets as widgets

from ..classifier import explain
from ..errors import SocAnalysisError
from ..portfolio import compare_reports
from ..present import Branding, branding_css
from .common import (
    Banner,
    dashboard_branding,
    download_link,
    follow_page,
    header_html,
    row,
    section_title,
    style_html,
)
from .review_panel import SaveAnswer, meeting_answer
from .takeaways import meeting_takeaways

__all__ = [
    "HOLDINGS",
    "QUESTIONS",
    "MeetingApp",
    "client_reasons",
    "comparison_html",
    "meeting_walkthrough",
    "summary_html",
]

QUESTIONS: tuple[tuple[str, str, str], ...] = (
    ("q_payroll", "Do you run payroll or employee benefits for your customers?", "runs payroll or benefits"),
    (
        "q_transactions",
        "Do you process payments, claims, loans or other financial transactions for customers?",
        "processes customers' transactions",
    ),
    (
        "q_financial_reporting",
        "Could your service change the numbers in your customers' financial statements?",
        "affects customers' financial statements",
    ),
    (
        "q_customer_data",
        "Do you store or process your customers' data on your systems?",
        "stores or processes customers' data",
    ),
    (
        "q_personal_data",
        "Do you hold personal information about people (names, addresses, ID numbers)?",
        "holds personal information",
    ),
    (
        "q_health_data",
        "Do you handle health information (patients, claims, medical records)?",
        "handles health information",
    ),
    (
        "q_confidential",
        "Do you hold customers' confidential information (contracts, designs, financial plans)?",
        "holds confidential information",
    ),
    ("q_uptime", "Do you promise customers a level of uptime or availability?", "promises uptime"),
    ("q_consumer", "Do members of the public use your service directly?", "serves consumers directly"),
)
"""The questions: the ``answers`` key of :func:`socanalysis.explain`, the question, and a short label."""

HOLDINGS: tuple[tuple[str, str], ...] = (
    ("No SOC report yet", ""),
    ("SOC 1 Type 1", "SOC 1 Type 1"),
    ("SOC 1 Type 2", "SOC 1 Type 2"),
    ("SOC 2 Type 1", "SOC 2 Type 1"),
    ("SOC 2 Type 2", "SOC 2 Type 2"),
    ("SOC 1 and SOC 2, Type 2", "SOC 1 Type 2; SOC 2 Type 2"),
    ("SOC 3 only", "SOC 3"),
    ("ISAE 3402 (outside the US)", "ISAE 3402"),
)
"""The answers to "Do you already hold a SOC report?": label and the report text passed to ``explain``."""

_COMPARED = ("When to choose", "Audience", "Focus", "Use")
_CHOICES = (("Yes", "yes"), ("No", "no"), ("Not sure", "unsure"))
_VALUES = {"yes": True, "no": False, "unsure": None}
_LABELS = {key: label for key, _, label in QUESTIONS}
# "'software' in description", "'banks' (customers) in description": the words, whose they are, the field
_MATCHED_RE = re.compile(r"'((?:[^']|'(?! in | \())*)'(?: \((customers|investments)\))? in ([a-z_0-9]+)")
_SOURCE_RE = re.compile(r"\(" + _MATCHED_RE.pattern + r"\)")
_CONFLICT_RE = re.compile(r", though " + _MATCHED_RE.pattern + r" points the other way")
_NEXT_STEPS = {
    "SOC 1": "Scope a SOC 1 over the processes that feed customers' financial statements; agree the control "
    "objectives and the period with the customers' auditors in mind.",
    "SOC 2": "Scope a SOC 2 on the system customers rely on, with Security and the categories listed; a readiness "
    "assessment usually comes first.",
    "Both": "Plan a SOC 1 and a SOC 2 together: one set of tests, two reports, aligned periods.",
    "Neither": "No SOC report is needed for the service described; revisit when the service changes (SOC for "
    "Cybersecurity or SOC for Supply Chain may still interest the board or customers).",
    "Undetermined": "",
}
_SHOWN_REPORT = {"Undetermined": "Not decided yet"}
_OPENING = (
    "Not enough to go on yet. Answer the questions, or describe your service in a sentence, and the "
    "recommendation appears here as you go."
)
_NOTHING_POINTS = (
    "Nothing you have told us points to a service that can change your customers' financial statements "
    "or that holds their data or runs systems they rely on, so neither SOC 1 nor SOC 2."
)
_CLIENT_REASONS = {
    "serves-an-industry": "Provides a service to businesses in a particular industry",
    "serves-organisations": "Serves other organisations",
    "health-data": "Handles patients' health information",
}
"""Reasons of the rules said in a client's words where the rule's own reason is an analyst's."""


def _source(value: str, field: str, role: str | None = None) -> str:
    """Where a piece of evidence came from, in the client's words.

    >>> _source("yes", "q_payroll"), _source("software", "description")
    ('you said yes: runs payroll or benefits', 'your description mentions “software”')
    >>> _source("banks", "description", "customers")
    'your description names whom you serve: “banks”'
    """
    if role == "customers":
        return f"your {_FIELD_WORDS.get(field, 'answer')} names whom you serve: “{value}”"
    if role == "investments":
        return f"your {_FIELD_WORDS.get(field, 'answer')} names what you invest in: “{value}”"
    if field in _LABELS:
        return f"you said {value}: {_LABELS[field]}"
    if field == "description":
        return f"your description mentions “{value}”"
    if field == "industry":
        return f"your industry: “{value}”"
    if field == "name":
        return f"your organisation's name: “{value}”"
    if field == "reports":
        return f"you hold {value}"
    return f"“{value}”"


_FIELD_WORDS = {"description": "description", "industry": "industry", "sector": "sector", "name": "name"}


def _plain(rationale: str) -> str:
    """The classifier's rationale in a client's words: "('yes' in q_payroll)" becomes "(you said yes: runs
    payroll or benefits)", "('software' in description)" becomes "(your description mentions “software”)".

    >>> _plain("Sells software to organisations ('software' in description): so SOC 2.")
    'Sells software to organisations (your description mentions “software”): so SOC 2.'
    """
    rationale = _CONFLICT_RE.sub(_conflict, rationale)
    return _SOURCE_RE.sub(lambda m: f"({_source(m.group(1), m.group(3), m.group(2))})", rationale)


def _conflict(match: re.Match) -> str:
    """ ", though 'consultancy' in description points the other way" in a client's words.

    >>> _plain("So SOC 2, though 'consultancy' in description points the other way.")
    'So SOC 2, though your description also mentions “consultancy”, which points the other way.'
    >>> _plain("So SOC 2, though 'Hospital & Health Care' in industry points the other way.")
    'So SOC 2, though your industry, “Hospital & Health Care”, points the other way.'
    """
    value, role, field = match.group(1), match.group(2), match.group(3)
    if field == "description" and role is None:
        return f", though your description also mentions “{value}”, which points the other way"
    if field in _FIELD_WORDS and role is None:
        return f", though your {_FIELD_WORDS[field]}, “{value}”, points the other way"
    return f", though your answer ({_source(value, field, role)}) points the other way"


def client_reasons(contributions) -> list[str]:
    """What the recommendation went on, one line per rule that matched (negated ones left out), in a client's words.

    Examples
    --------
    >>> from socanalysis.classifier import explain
    >>> client_reasons(explain("We build software for banks").contributions)
    ['Sells software to organisations (your description mentions “software”)', \
'Provides a service to businesses in a particular industry (your description names whom you serve: “banks”)', \
'Runs an app, platform or software that other organisations use (your description mentions “software ... banks”)']
    """
    lines = []
    for rule, reason, matched, negated in zip(
        contributions["rule"], contributions["reason"], contributions["matched"], contributions["negated"], strict=True
    ):
        if negated:
            continue
        text = _CLIENT_REASONS.get(str(rule), str(reason))
        found = _MATCHED_RE.search(str(matched))
        line = f"{text} ({_source(found.group(1), found.group(3), found.group(2))})" if found else text
        if line not in lines:
            lines.append(line)
    return lines


class MeetingApp:
    """The meeting walk-through as an object: the question widgets and the recommendation behind them.

    Parameters
    ----------
    branding : Branding, dict, path or None
        Defaults to :func:`socanalysis.dashboards.common.dashboard_branding`.

    Attributes
    ----------
    questions : dict of str to ipywidgets.ToggleButtons
        Keyed as :data:`QUESTIONS`; values True, False or None ("Not sure").
    holds : ipywidgets.Dropdown
        "Do you already hold a SOC report?" (:data:`HOLDINGS`).
    description, industry, organisation : ipywidgets.Text
        Optional free text: what the service does, the industry, the organisation's name.
    recommendation : dict
        The classified row (``soc_report``, ``tsc_categories``, ``report_type``, ``rationale`` ...).
    widget : ipywidgets.VBox
    """

    def __init__(self, *, branding: Branding | Mapping | str | os.PathLike | None = None) -> None:
        self.branding = dashboard_branding(branding)
        self._themed_by_page = branding is None
        self.banner = Banner()
        self.recommendation: dict[str, Any] = {}
        self.reasons: list[str] = []
        self._quiet = False
        self._build_widgets()
        self.update()

    # ----------------------------------------------------------------------------------------
    def _build_widgets(self) -> None:
        brand = self.branding
        self.style = widgets.HTML(style_html(brand))
        self.header = widgets.HTML(
            header_html(brand, "Which SOC report do you need?", "A few plain questions about the service you provide")
        )
        wide = {"description_width": "110px"}
        self.organisation = widgets.Text(
            description="Organisation",
            placeholder="Name (optional)",
            style=wide,
            continuous_update=False,
            layout=widgets.Layout(width="auto"),
        )
        self.organisation.add_class("soc-organisation")
        self.description = widgets.Textarea(
            description="Your service",
            rows=2,
            continuous_update=False,
            style=wide,
            placeholder="In a sentence, what do you do for your customers? (optional)",
            layout=widgets.Layout(width="auto"),
        )
        self.description.add_class("soc-description")
        self.industry = widgets.Text(
            description="Industry",
            placeholder="e.g. Payroll services (optional)",
            style=wide,
            continuous_update=False,
            layout=widgets.Layout(width="auto"),
        )
        self.industry.add_class("soc-industry")
        self.questions: dict[str, widgets.ToggleButtons] = {}
        rows = []
        for key, question, _ in QUESTIONS:
            buttons = widgets.ToggleButtons(options=list(_CHOICES), value="unsure", style={"button_width": "84px"})
            buttons.add_class(f"soc-q-{key[2:].replace('_', '-')}")
            buttons.observe(self._on_change, "value")
            self.questions[key] = buttons
            label = widgets.HTML(f"<span>{html.escape(question)}</span>", layout=widgets.Layout(flex="1 1 60%"))
            line = widgets.HBox([label, buttons], layout=widgets.Layout(width="100%"))
            line.add_class("soc-question")
            rows.append(line)
        self.holds = widgets.Dropdown(
            options=list(HOLDINGS),
            value="",
            description="Already hold a SOC report?",
            style={"description_width": "initial"},
            layout=widgets.Layout(width="auto"),
        )
        self.holds.add_class("soc-holds")
        for field in (self.organisation, self.description, self.industry, self.holds):
            field.observe(self._on_change, "value")
        self.reset_button = widgets.Button(description="Start again", icon="undo", layout=widgets.Layout(width="auto"))
        self.reset_button.add_class("soc-start-again")
        self.reset_button.on_click(lambda _: self.reset())

        self.result = widgets.HTML()
        self.result.add_class("soc-recommendation-host")
        self.comparison = widgets.HTML()
        self.comparison.add_class("soc-comparison")
        self.download = widgets.HTML()
        self.download.add_class("soc-downloads")
        self.takeaway = widgets.HTML()
        self.takeaway.add_class("soc-downloads")
        self.takeaway_buttons = meeting_takeaways(self, summary_html, summary_details, summary_answers)

        questions = widgets.VBox(
            [
                section_title("About your service"),
                *rows,
                self.holds,
                section_title("In your words (optional)"),
                self.organisation,
                self.industry,
                self.description,
                row([self.reset_button]),
            ],
            layout=widgets.Layout(flex="3 1 520px"),
        )
        self.save_answer = SaveAnswer(self.banner, lambda: meeting_answer(self))  # review_panel.py
        answer = widgets.VBox(
            [
                self.result,
                self.save_answer.widget,
                self.download,
                row(self.takeaway_buttons),
                self.takeaway,
                self.comparison,
            ],
            layout=widgets.Layout(flex="2 1 360px"),
        )
        self.widget = widgets.VBox(
            [
                self.style,
                self.header,
                self.banner.widget,
                row([questions, answer], top=True),
            ]
        )
        self.widget.add_class("soc-app")
        if brand.dark:
            self.widget.add_class("soc-dark")

    def _repr_mimebundle_(self, **kwargs):
        if self._themed_by_page:
            follow_page(self, MeetingApp)
        return self.widget._repr_mimebundle_(**kwargs)

    def _on_change(self, change) -> None:
        if not self._quiet:
            self.update()

    # ----------------------------------------------------------------------------------------
    @property
    def answers(self) -> dict[str, bool | None]:
        """The answers given: question key -> True, False or None (not answered / not sure)."""
        return {key: _VALUES[buttons.value] for key, buttons in self.questions.items()}

    def answer(self, key: str, value: bool | None) -> None:
        """Answer one question (True = yes, False = no, None = not sure)."""
        if key not in self.questions:
            raise SocAnalysisError(f"no question {key!r}; accepted: {', '.join(self.questions)}")
        if value not in (True, False, None):
            raise SocAnalysisError(f"answer {key!r} with True, False or None, not {value!r}")
        self.questions[key].value = next(label for label, answer in _VALUES.items() if answer is value)

    def reset(self) -> None:
        """Clear every answer and text."""
        self._quiet = True
        try:
            for buttons in self.questions.values():
                buttons.value = "unsure"
            self.holds.value = ""
            self.organisation.value = self.description.value = self.industry.value = ""
        finally:
            self._quiet = False
        self.update()

    def update(self) -> None:
        """Recompute the recommendation from the answers and redraw it (and the summary link)."""
        with self.banner.guard("working out the recommendation"):
            result = explain(
                self.description.value.strip() or None,
                name=self.organisation.value.strip() or None,
                industry=self.industry.value.strip() or None,
                reports=self.holds.value or None,
                answers=self.answers,
            )
            row = result.row
            self.recommendation = {
                k: ("" if v is None or (isinstance(v, float) and v != v) else v) for k, v in row.to_dict().items()
            }
            self.reasons = client_reasons(result.contributions)
            self.result.value = self.result_html()
            self.comparison.value = comparison_html(self.recommendation)
            page = summary_html(self)
            name = "soc_recommendation.html"
            self.download.value = download_link(
                page.encode("utf-8"), name, "Download the one-page summary (HTML)", "text/html"
            )
            if self.banner.kind == "error":
                self.banner.clear()

    def result_html(self) -> str:
        """The recommendation panel as escaped HTML."""
        r = self.recommendation
        report = str(r.get("soc_report", ""))
        slug = report.lower().replace(" ", "-")
        items = []
        if r.get("report_type"):
            items.append(
                (
                    "Report type",
                    f"{r['report_type']}"
                    + (
                        " (a first report, or a point-in-time start)"
                        if r["report_type"] == "Type 1"
                        else " (you already hold a report: the next one covers a period)"
                    ),
                )
            )
        if r.get("tsc_categories"):
            items.append(("Trust Services Categories", str(r["tsc_categories"])))
        if r.get("soc1_objectives"):
            items.append(("SOC 1 control objectives", str(r["soc1_objectives"])))
        if r.get("also_consider"):
            items.append(("Also consider", str(r["also_consider"])))
        if r.get("confidence") and report != "Undetermined":
            items.append(("Confidence", str(r["confidence"])))
        listing = "".join(f"<dt>{html.escape(k)}</dt><dd>{html.escape(v)}</dd>" for k, v in items)
        reasons = "".join(f"<li>{html.escape(x)}</li>" for x in self.reasons)
        reasons_html = ""
        if reasons:
            reasons_html = f'<div class="soc-weighed"><strong>What we went on</strong><ul>{reasons}</ul></div>'
        step = _NEXT_STEPS.get(report, "")
        step_html = f'<p class="soc-note">Next step: {html.escape(step)}</p>' if step else ""
        return (
            f'<div class="soc-panel soc-recommendation soc-detail" data-report="{html.escape(report, quote=True)}">'
            f'<div class="soc-note">Recommendation</div>'
            f'<div class="soc-verdict"><span class="soc-badge soc-badge-{html.escape(slug, quote=True)}">'
            f"{html.escape(_SHOWN_REPORT.get(report, report))}</span></div>"
            f"<p>{html.escape(self.why())}</p>"
            f"<dl>{listing}</dl>{reasons_html}{step_html}</div>"
        )

    def why(self) -> str:
        """The recommendation's reason in a client's words (the opening note before anything is known)."""
        report = str(self.recommendation.get("soc_report", ""))
        if report == "Undetermined":
            return _OPENING
        if report == "Neither" and not self.reasons:
            return _NOTHING_POINTS
        return _plain(str(self.recommendation.get("rationale", "")))


def comparison_html(recommendation: dict) -> str:
    """SOC 1, SOC 2 and SOC 3 side by side, the columns of the recommended report(s) marked.

    Examples
    --------
    >>> page = comparison_html({"soc_report": "Both", "also_consider": "SOC 3"})
    >>> page.count('class="soc-recommended"')
    15
    """
    report = str(recommendation.get("soc_report", ""))
    marked = {"SOC 1": {"SOC 1"}, "SOC 2": {"SOC 2"}, "Both": {"SOC 1", "SOC 2"}}.get(report, set())
    if "SOC 3" in str(recommendation.get("also_consider", "")):
        marked = marked | {"SOC 3"}
    table = compare_reports().loc[list(_COMPARED)]

    def mark(column: str) -> str:
        return ' class="soc-recommended"' if column in marked else ""

    head = "".join(f"<th{mark(c)}>{html.escape(c)}</th>" for c in table.columns)
    body = "".join(
        f"<tr><th>{html.escape(str(aspect))}</th>"
        + "".join(f"<td{mark(c)}>{html.escape(str(v))}</td>" for c, v in zip(table.columns, values, strict=True))
        + "</tr>"
        for aspect, values in zip(table.index, table.to_numpy().tolist(), strict=True)
    )
    return (
        '<div class="soc-section-title">SOC 1, SOC 2 and SOC 3 side by side</div>'
        f'<div class="soc-table"><div class="soc-table-wrap"><table class="soc-grid soc-compare"><thead><tr><th></th>'
        f"{head}</tr></thead><tbody>{body}</tbody></table></div></div>"
    )


def summary_details(app: MeetingApp) -> list[tuple[str, str]]:
    """The recommendation as (label, text) pairs: what the summary, its PDF and the deck show."""
    r = app.recommendation
    holds = next((label for label, value in HOLDINGS if value == app.holds.value), "")
    return [
        ("Recommendation", str(_SHOWN_REPORT.get(str(r.get("soc_report", "")), r.get("soc_report", "")))),
        ("Report type", str(r.get("report_type", ""))),
        ("Trust Services Categories", str(r.get("tsc_categories", ""))),
        ("SOC 1 control objectives", str(r.get("soc1_objectives", ""))),
        ("Also consider", str(r.get("also_consider", ""))),
        ("Already holds", holds),
        ("Why", app.why()),
        ("Next step", _NEXT_STEPS.get(str(r.get("soc_report", "")), "")),
    ]


def summary_answers(app: MeetingApp) -> list[tuple[str, str]]:
    """Each question and the answer given (Yes, No or Not sure)."""
    answers = app.answers
    return [(question, {True: "Yes", False: "No"}.get(answers[key], "Not sure")) for key, question, _ in QUESTIONS]


def summary_html(app: MeetingApp) -> str:
    """A self-contained one-page summary of the meeting (HTML, escaped, no script, no network).

    The recommendation, the answers, and SOC 1, SOC 2 and SOC 3 side by side: what a partner hands
    the client (the PDF is this page printed).
    """
    brand = app.branding
    rows = "".join(f"<tr><td>{html.escape(q)}</td><td>{html.escape(a)}</td></tr>" for q, a in summary_answers(app))
    details = summary_details(app)
    listing = "".join(f"<dt>{html.escape(k)}</dt><dd>{html.escape(str(v))}</dd>" for k, v in details if v)
    who = app.organisation.value.strip()
    service = app.description.value.strip()
    today = _dt.date.today().isoformat()
    for_whom = f" for {html.escape(who)}" if who else ""
    logo = brand.logo_data_uri()
    logo_html = f'<img src="{html.escape(logo, quote=True)}" alt="" style="max-height:48px">' if logo else ""
    return "\n".join(
        [
            "<!DOCTYPE html>",
            '<html lang="en">',
            "<head>",
            '<meta charset="utf-8">',
            "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; "
            'img-src data:">',
            f"<title>{html.escape(brand.firm_name)}: which SOC report{for_whom}</title>",
            "<style>",
            branding_css(brand),
            "body{font-family:var(--soc-font);color:var(--soc-text);background:var(--soc-background);max-width:800px;"
            "margin:24px auto;padding:0 16px;line-height:1.45}h1{color:var(--soc-primary);margin:0}"
            "dl{display:grid;grid-template-columns:220px 1fr;gap:4px 12px}dt{color:var(--soc-muted)}dd{margin:0}"
            "table{border-collapse:collapse;width:100%}"
            "td{border-bottom:1px solid #ddd;padding:4px 6px;vertical-align:top}"
            "header{display:flex;gap:16px;align-items:center;margin-bottom:12px}"
            "th{text-align:left;vertical-align:top;padding:4px 6px}.soc-recommended{background:var(--soc-panel)}"
            "@media print{body{margin:0}}",
            "</style>",
            "</head>",
            "<body>",
            f"<header>{logo_html}<div><h1>Which SOC report{for_whom}?</h1>"
            f"<div>{html.escape(brand.firm_name)} · {html.escape(today)}</div></div></header>",
            f"<p>{html.escape(service)}</p>" if service else "",
            f"<dl>{listing}</dl>",
            "<h2>Answers</h2>",
            f"<table>{rows}</table>",
            "<h2>SOC 1, SOC 2 and SOC 3</h2>",
            comparison_html(app.recommendation),
            "<p><small>SOC 1 reports on controls relevant to customers' financial statements; SOC 2 on security, "
            "availability, processing integrity, confidentiality and privacy of a system; SOC 3 is a short "
            "general-use version of a SOC 2. Prepared with socanalysis.</small></p>",
            "</body>",
            "</html>",
        ]
    )


def meeting_walkthrough(**kwargs) -> MeetingApp:
    """The meeting walk-through (see :class:`MeetingApp`); display the returned app in a notebook."""
    return MeetingApp(**kwargs)
