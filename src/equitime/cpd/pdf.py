"""The CPD record as a tagged PDF that a screen reader can read (fpdf2).

fpdf2 lays out the pages and embeds the font; its own structure tree is flat
and only tags images and links, so this module builds the logical structure
itself through fpdf2's marked-content hooks (the ``struct_builder`` the
document writes out, ``_out`` for the operators):

    Document
      H1, P …                 title; who, period, date produced
      H2 Summary  Table       TR (TH scope=Row, TD)
      H2 By skill Table       TR (TH scope=Column …), TR (TH scope=Row, TD …)
      H2 By area  Table
      H2 Activities
        Sect                  one per activity: H3, P …, H4 + P (thanks),
                              H4 Reflective account, H5 + P per part

Every piece of text on a page is inside a marked-content sequence
(``/P <</MCID n>> BDC … EMC``) owned by one structure element, or is an
``/Artifact`` (the running header, page numbers, rules, a table's header row
repeated on a new page). A paragraph that runs over a page break owns one
sequence on each page (marked-content references with their page), so it
stays one paragraph. The catalogue says /MarkInfo /Marked true, /Lang, and
the viewer shows the document's title (DisplayDocTitle).

Pages break where this module says (auto page break is off): a break inside
a marked-content sequence would leave it open across pages.

The record is written in the reader's language (the active one: the page's),
and /Lang says which. A language written right to left (Arabic) is shaped by
HarfBuzz (uharfbuzz) and laid out from the right: each paragraph's base
direction is right to left (names and figures inside keep their own, by the
Unicode bidirectional algorithm), paragraphs and headings start at the right
margin, and a table's first column is on the right, its text cells aligned
right and its figures left (the mirror of left to right). The structure tree
keeps the logical order, first column first. DejaVu Sans, embedded, has the
Arabic letters and their joining forms, so no other font is needed.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from django.utils import formats, translation
from django.utils.translation import gettext as _
from fpdf import FPDF, ViewerPreferences
from fpdf.output import PDFPage
from fpdf.structure_tree import NumberTree, StructTreeRoot
from fpdf.syntax import PDFObject

from equitime.core.units import credits_figure, hours_text
from equitime.core.zones import zone_city
from equitime.cpd.selectors import GROUP_SESSION, Activity, CpdRecord, Row

# fontTools reports every table it subsets at INFO: noise in the web log.
logging.getLogger("fontTools").setLevel(logging.WARNING)

FONTS = Path(__file__).resolve().parent / "fonts"
FAMILY = "DejaVu"
MARGIN = 18  # mm
LINE = 1.45  # line height, as a multiple of the font size
PT = 0.3528  # mm per point
TEXT_COLOUR = (33, 37, 41)
MUTED_COLOUR = (84, 91, 99)  # 7:1 on white
RULE_COLOUR = (180, 186, 192)
HEAD_FILL = (232, 240, 238)


# --- The structure tree ------------------------------------------------------------


class Tag(PDFObject):
    """A structure element (PDF 32000-1, 14.7.2). Its kids are other tags and
    marked-content references; each reference names its page, so an element
    may own content on several pages."""

    def __init__(
        self, role: str, parent: PDFObject, page: int, attributes: str | None = None
    ) -> None:
        super().__init__()
        self.type = "/StructElem"
        self.s = f"/{role}"
        self.p = parent
        self.a = attributes
        self.pg: PDFObject | None = None  # set by fpdf2's writer for the Document's kids
        self._page = page
        self._kids: list[Tag | tuple[PDFPage, int]] = []

    @property
    def k(self) -> str:
        parts = [
            kid.ref if isinstance(kid, Tag) else f"<</Type /MCR /Pg {kid[0].ref} /MCID {kid[1]}>>"
            for kid in self._kids
        ]
        return "[" + " ".join(parts) + "]"

    def page_number(self) -> int:
        return self._page

    def role(self) -> str:
        return self.s[1:]


class TagTree:
    """Stands in for fpdf2's ``StructureTreeBuilder``: the writer asks it for
    its objects (``__iter__``), whether it is ``empty`` and the Document's
    kids (``doc_struct_elem.k``)."""

    def __init__(self) -> None:
        self.struct_tree_root = StructTreeRoot()
        self.struct_tree_root.parent_tree = NumberTree()
        self.doc_struct_elem = Tag("Document", self.struct_tree_root, page=1)
        self.struct_tree_root.k.append(self.doc_struct_elem)
        self.spid_per_page: dict[int, int] = {}

    @property
    def kids(self) -> list[Tag]:
        return [kid for kid in self.doc_struct_elem._kids if isinstance(kid, Tag)]

    def empty(self) -> bool:
        return not self.doc_struct_elem._kids

    def all_tags(self) -> Iterator[Tag]:
        stack = [self.doc_struct_elem]
        while stack:
            tag = stack.pop(0)
            yield tag
            stack[0:0] = [kid for kid in tag._kids if isinstance(kid, Tag)]

    def __iter__(self) -> Iterator[PDFObject]:
        yield self.struct_tree_root
        yield self.struct_tree_root.parent_tree
        yield from self.all_tags()

    def next_mcid(self, page_number: int, owner: Tag) -> tuple[int, int]:
        """A new marked-content id on the page, owned by ``owner``; and the
        page's key in the parent tree."""
        spid = self.spid_per_page.setdefault(page_number, len(self.spid_per_page))
        owners = self.struct_tree_root.parent_tree.nums[spid]
        owners.append(owner)
        return len(owners) - 1, spid


class TaggedPDF(FPDF):
    def __init__(self, *, running_head: str, footer_note: str, rtl: bool = False) -> None:
        super().__init__(orientation="portrait", unit="mm", format="A4")
        # Right to left: text starts at the right margin ("R") and HarfBuzz
        # joins the letters; the script of each run is guessed from its text,
        # so a Latin name inside Arabic is shaped as Latin.
        self.rtl = rtl
        self.start, self.end = ("R", "L") if rtl else ("L", "R")
        self.tags = TagTree()
        self.struct_builder = _WriterView(self.tags)  # type: ignore[assignment]
        self.running_head = running_head
        self.footer_note = footer_note
        self.stack: list[Tag] = [self.tags.doc_struct_elem]
        self._head: list[str] = []  # the header row of the table being drawn
        self.set_margins(MARGIN, MARGIN + 6, MARGIN)
        self.set_auto_page_break(False)
        self.add_font(FAMILY, "", str(FONTS / "DejaVuSans.ttf"))
        self.add_font(FAMILY, "B", str(FONTS / "DejaVuSans-Bold.ttf"))
        if rtl:
            self.set_text_shaping(use_shaping_engine=True, direction="rtl", language="ara")
        self.set_text_color(*TEXT_COLOUR)

    # -- tags and marked content ---------------------------------------------------------

    def open_tag(self, role: str, attributes: str | None = None) -> Tag:
        parent = self.stack[-1]
        tag = Tag(role, parent, page=max(self.page, 1), attributes=attributes)
        parent._kids.append(tag)
        return tag

    @contextmanager
    def element(self, role: str, attributes: str | None = None) -> Iterator[Tag]:
        """A container (Sect, Table, TR): the tags made inside are its kids."""
        tag = self.open_tag(role, attributes)
        self.stack.append(tag)
        try:
            yield tag
        finally:
            self.stack.pop()

    @contextmanager
    def marked(self, tag: Tag) -> Iterator[None]:
        """Content drawn inside belongs to ``tag``; never break a page inside."""
        mcid, spid = self.tags.next_mcid(self.page, tag)
        self.pages[self.page].struct_parents = spid
        tag._kids.append((self.pages[self.page], mcid))
        self._out(f"/{tag.role()} <</MCID {mcid}>> BDC")
        start = self.page
        yield
        assert self.page == start, "a page broke inside a marked-content sequence"
        self._out("EMC")

    @contextmanager
    def artifact(self) -> Iterator[None]:
        self._out("/Artifact <</Type /Pagination>> BDC")
        yield
        self._out("EMC")

    # -- pages ---------------------------------------------------------------------------

    @property
    def bottom(self) -> float:
        return self.h - MARGIN - 8

    def room_for(self, height: float) -> bool:
        """Start a new page unless ``height`` fits; True if a page was added."""
        if self.get_y() + height <= self.bottom:
            return False
        self.add_page()
        return True

    def header(self) -> None:
        with self.artifact():
            self.set_font(FAMILY, "", 8)
            self.set_text_color(*MUTED_COLOUR)
            self.set_xy(MARGIN, 10)
            self.cell(self.epw, 4, self.running_head, align=self.start)
            self.set_draw_color(*RULE_COLOUR)
            self.line(MARGIN, 15.5, self.w - MARGIN, 15.5)
        self.set_text_color(*TEXT_COLOUR)
        self.set_xy(MARGIN, MARGIN + 6)

    def footer(self) -> None:
        with self.artifact():
            self.set_font(FAMILY, "", 8)
            self.set_text_color(*MUTED_COLOUR)
            page = _("Page %(page)s of %(pages)s") % {"page": self.page_no(), "pages": "{nb}"}
            # The note on the start side, the page number on the end side.
            left, right = (page, self.footer_note) if self.rtl else (self.footer_note, page)
            self.set_xy(MARGIN, self.h - 14)
            self.cell(self.epw / 2, 4, left, align="L")
            self.cell(self.epw / 2, 4, right, align="R")
        self.set_text_color(*TEXT_COLOUR)

    # -- text ----------------------------------------------------------------------------

    def lines_of(self, text: str, width: float) -> list[str]:
        lines = self.multi_cell(width, 5, text, dry_run=True, output="LINES")
        assert isinstance(lines, list)
        return [str(line) for line in lines] or [""]

    def block(
        self,
        role: str,
        text: str,
        *,
        size: float = 10,
        bold: bool = False,
        before: float = 0,
        after: float = 1.5,
        keep: float = 0,
        muted: bool = False,
        indent: float = 0,
    ) -> Tag:
        """A paragraph or heading, wrapped, that may run over pages; ``keep``
        is room wanted below it on the same page (a heading's first lines)."""
        self.set_font(FAMILY, "B" if bold else "", size)
        height = size * PT * LINE
        lines = self.lines_of(text, self.epw - indent)
        self.set_y(self.get_y() + before)
        self.room_for(min(len(lines), 2) * height + keep)
        tag = self.open_tag(role)
        self.set_text_color(*(MUTED_COLOUR if muted else TEXT_COLOUR))
        index = 0
        while index < len(lines):
            self.room_for(height)
            self.set_font(FAMILY, "B" if bold else "", size)
            self.set_text_color(*(MUTED_COLOUR if muted else TEXT_COLOUR))
            with self.marked(tag):
                while index < len(lines) and self.get_y() + height <= self.bottom:
                    # Indented from the start side.
                    self.set_x(MARGIN if self.rtl else MARGIN + indent)
                    # A line keeps the space the wrap took, so the text read
                    # aloud (or copied) keeps its words apart.
                    line = lines[index] if index == len(lines) - 1 else lines[index] + " "
                    self.cell(
                        self.epw - indent,
                        height,
                        line,
                        align=self.start,
                        new_x="LMARGIN",
                        new_y="NEXT",
                    )
                    index += 1
        self.set_text_color(*TEXT_COLOUR)
        self.set_y(self.get_y() + after)
        return tag

    def heading(self, level: int, text: str, *, keep: float = 12) -> Tag:
        """A heading, kept on the page with ``keep`` mm of what follows."""
        size = {1: 18, 2: 14, 3: 12, 4: 10.5, 5: 10}[level]
        before = {1: 0, 2: 5, 3: 4, 4: 2, 5: 1}[level]
        return self.block(f"H{level}", text, size=size, bold=True, before=before, keep=keep)

    # -- tables --------------------------------------------------------------------------

    def data_table(
        self,
        head: Sequence[str],
        rows: Sequence[Sequence[str]],
        widths: Sequence[float],
        *,
        numeric_from: int = 1,
    ) -> None:
        """A table with a header row (TH, scope Column) and a header cell
        (TH, scope Row) opening each row; figures right-aligned. A table that
        runs over a page repeats its header row there, as an artifact."""
        size, pad = 9.5, 1.6
        height = size * PT * LINE
        total = sum(widths)
        widths = [w * self.epw / total for w in widths]
        with self.element("Table"):
            self._row(head, widths, size, pad, height, header=True, numeric_from=numeric_from)
            for row in rows:
                self._row(row, widths, size, pad, height, header=False, numeric_from=numeric_from)
        self.set_y(self.get_y() + 3)

    def _row(
        self,
        cells: Sequence[str],
        widths: Sequence[float],
        size: float,
        pad: float,
        height: float,
        *,
        header: bool,
        numeric_from: int,
        artifact: bool = False,
    ) -> None:
        self.set_font(FAMILY, "B" if header else "", size)
        wrapped = [self.lines_of(text, w - 2 * pad) for text, w in zip(cells, widths, strict=True)]
        row_height = max(len(lines) for lines in wrapped) * height + 2 * pad
        if not artifact and self.room_for(row_height) and not header:
            # The header row again, for a reader of the printed page.
            self._row(
                self._head, widths, size, pad, height, header=True,
                numeric_from=numeric_from, artifact=True,
            )  # fmt: skip
        if header and not artifact:
            self._head = list(cells)
        top = self.get_y()
        with self.artifact():
            self.set_draw_color(*RULE_COLOUR)
            if header:
                self.set_fill_color(*HEAD_FILL)
                self.rect(MARGIN, top, sum(widths), row_height, style="F")
            self.line(MARGIN, top + row_height, MARGIN + sum(widths), top + row_height)
        # Left to right, the first column at the left margin; right to left,
        # at the right one. Cells are tagged in their logical order either way.
        x: float = MARGIN + sum(widths) if self.rtl else MARGIN
        context = self.artifact() if artifact else self.element("TR")
        with context:
            for index, (lines, width) in enumerate(zip(wrapped, widths, strict=True)):
                is_head = header or index == 0
                scope = "/Column" if header else "/Row"
                self.set_font(FAMILY, "B" if is_head else "", size)
                align = self.end if index >= numeric_from else self.start
                left = x - width if self.rtl else x
                if artifact:
                    self._cell_lines(lines, left, top, width, pad, height, align)
                else:
                    tag = self.open_tag(
                        "TH" if is_head else "TD",
                        f"<</O /Table /Scope {scope}>>" if is_head else None,
                    )
                    with self.marked(tag):
                        self._cell_lines(lines, left, top, width, pad, height, align)
                x = x - width if self.rtl else x + width
        self.set_xy(MARGIN, top + row_height)

    def _cell_lines(
        self,
        lines: list[str],
        x: float,
        top: float,
        width: float,
        pad: float,
        height: float,
        align: str,
    ) -> None:
        for number, line in enumerate(lines):
            self.set_xy(x + pad, top + pad + number * height)
            last = number == len(lines) - 1
            self.cell(width - 2 * pad, height, line if last else line + " ", align=align)


class _WriterView:
    """What fpdf2's writer sees of the tree (``fpdf.output``): it iterates the
    objects, asks ``empty()``, and sets ``pg`` on ``doc_struct_elem.k``."""

    def __init__(self, tree: TagTree) -> None:
        self.tree = tree
        self.doc_struct_elem = _DocKids(tree)

    def empty(self) -> bool:
        return self.tree.empty()

    def __iter__(self) -> Iterator[PDFObject]:
        return iter(self.tree)


class _DocKids:
    def __init__(self, tree: TagTree) -> None:
        self.tree = tree

    @property
    def k(self) -> list[Tag]:
        return self.tree.kids


# --- The record, laid out -----------------------------------------------------------


def _day(value) -> str:
    return formats.date_format(value, "j F Y")


def _hours(minutes: int) -> str:
    return credits_figure(minutes)


def _who(activity: Activity) -> str:
    colleague = activity.colleague
    if colleague is None:
        if activity.attendees is not None:
            return _("%(count)s colleagues attended") % {"count": activity.attendees}
        return ""
    return ", ".join(
        part for part in (colleague.name, colleague.profession, colleague.organisation) if part
    )


def _table_rows(rows: list[Row]) -> list[list[str]]:
    return [
        [row.name, _hours(row.given), _hours(row.received), _hours(row.attended)] for row in rows
    ]


def record_pdf(record: CpdRecord) -> bytes:
    period = record.period
    start, end = _day(period.start), _day(period.end)
    produced = record.produced_at.astimezone(period.zone)  # type: ignore[attr-defined]
    produced_text = _("%(day)s at %(time)s (%(zone)s time)") % {
        "day": _day(produced),
        "time": formats.time_format(produced, "H:i"),
        "zone": zone_city(period.zone),
    }
    title = _("CPD record of %(name)s, %(start)s to %(end)s") % {
        "name": record.member_name,
        "start": start,
        "end": end,
    }
    pdf = TaggedPDF(
        running_head=title,
        footer_note=_("Equitime CPD record, produced %(day)s") % {"day": _day(produced)},
        rtl=translation.get_language_bidi(),
    )
    pdf.set_title(title)
    pdf.set_author(record.member_name)
    pdf.set_subject(_("Learning and contribution for appraisal and revalidation"))
    pdf.set_creator("Equitime")
    pdf.set_lang(translation.to_language(translation.get_language() or "en-gb").replace("_", "-"))
    pdf.viewer_preferences = ViewerPreferences(display_doc_title=True)
    pdf.set_creation_date(record.produced_at)  # type: ignore[arg-type]
    pdf.add_page()

    pdf.heading(1, _("Continuing professional development record"))
    pdf.block("P", record.member_name, size=12, bold=True, after=0.5)
    role = ", ".join(part for part in (record.profession, record.organisation) if part)
    if role:
        pdf.block("P", role, after=0.5)
    pdf.block(
        "P",
        _("Period: %(start)s to %(end)s. Produced on %(produced)s.")
        % {"start": start, "end": end, "produced": produced_text},
        muted=True,
        after=0.5,
    )
    pdf.block(
        "P",
        _(
            "Time given and received through Equitime, a time bank for health and care, with "
            "the thanks received and the member's own reflective accounts. Hours given and "
            "received are those the Equitime ledger recorded; hours attended are the length "
            "of the group sessions attended."
        ),
        size=9,
        muted=True,
        after=2,
    )

    pdf.heading(2, _("Summary"))
    pdf.data_table(
        [_("Measure"), _("Total")],
        [
            [_("Hours given"), _hours(record.given_minutes)],
            [_("Hours received"), _hours(record.received_minutes)],
            [_("Hours attended in group sessions"), _hours(record.attended_minutes)],
            [_("Activities"), str(len(record.activities))],
            [_("Colleagues worked with one to one"), str(record.colleagues)],
        ],
        [3, 1],
    )
    if record.activities:
        columns = [_("Given"), _("Received"), _("Attended")]
        pdf.heading(2, _("Hours by skill"))
        pdf.data_table([_("Skill"), *columns], _table_rows(record.by_skill), [3, 1, 1, 1])
        pdf.block(
            "P",
            _("An activity with several skills counts in full under each of them."),
            size=8.5,
            muted=True,
        )
        pdf.heading(2, _("Hours by improvement area"))
        pdf.data_table([_("Improvement area"), *columns], _table_rows(record.by_area), [3, 1, 1, 1])

    # Kept with the first activity's title and the lines under it.
    pdf.heading(2, _("Activities"), keep=40)
    if not record.activities:
        pdf.block("P", _("No completed exchanges or group sessions in this period."))
    for activity in record.activities:
        _activity(pdf, activity)
    return bytes(pdf.output())


def _activity(pdf: TaggedPDF, activity: Activity) -> None:
    with pdf.element("Sect"):
        pdf.heading(3, activity.title, keep=22)
        kind = _("Group session") if activity.kind == GROUP_SESSION else _("Exchange")
        pdf.block(
            "P",
            " · ".join(
                (_day(activity.day), kind, activity.role_label, hours_text(activity.minutes))
            ),
            bold=True,
            size=9.5,
            after=0.5,
        )
        who = _who(activity)
        if who:
            label = _("Colleague") if activity.kind != GROUP_SESSION else _("With")
            pdf.block("P", f"{label}: {who}", size=9.5, after=0.5)
        if activity.skills:
            pdf.block(
                "P",
                _("Skills: %(skills)s") % {"skills": ", ".join(activity.skills)},
                size=9.5,
                after=0.5,
            )
        if activity.area:
            pdf.block("P", _("Improvement area: %(area)s") % {"area": activity.area}, size=9.5)
        if activity.thanks:
            pdf.heading(4, _("Thanks received"))
            for thanks in activity.thanks:
                pdf.block("P", f"“{thanks.message}” ({thanks.author})", size=9.5, after=0.5)
                if thanks.impact:
                    pdf.block("P", _("Impact: %(impact)s") % {"impact": thanks.impact}, size=9.5)
        reflection = activity.reflection
        if reflection:
            pdf.heading(4, _("Reflective account"))
            for label, text in (
                (_("What happened"), reflection.what_happened),
                (_("What I learned"), reflection.learned),
                (_("How it changed my practice"), reflection.practice_change),
                (_("Standards it relates to"), reflection.standards),
            ):
                if text:
                    pdf.heading(5, label)
                    pdf.block("P", text, size=9.5)
        with pdf.artifact():
            pdf.set_draw_color(*RULE_COLOUR)
            y = pdf.get_y() + 1.5
            if y < pdf.bottom:
                pdf.line(MARGIN, y, pdf.w - MARGIN, y)
        pdf.set_y(pdf.get_y() + 3)
