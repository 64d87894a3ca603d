"""The demo's exchanges, each with the state the builder drives it to, and
the conversation, thanks and reflections that go with it."""

from equitime.demo.content.accounts import ADMIN, MODERATOR
from equitime.demo.specs import DemoDirect, DemoExchange, DemoResolution, DemoThanks
from equitime.exchanges.models import Status

# Exchanges, one or more in every state of the lifecycle. Receivers hold at
# most an hour and a half each, well inside the welcome gift. The member the
# command prints for signing in has a proposal to accept (5), an exchange
# waiting for her to confirm the hours (6) and a proposal of her own (7).
EXCHANGES: tuple[DemoExchange, ...] = (
    DemoExchange(
        1,
        "kwame.boateng",
        Status.COMPLETED,
        90,
        listing="survival",
        message="I have three years of readmission data for heart failure and a question about "
        "time to readmission by discharge route. Could we look at it together?",
        replies=(
            (
                "wei.zhang",
                "Happy to. Please send only the list of variables, not the data: we will "
                "build the analysis on invented data first and you run it at your end.",
            ),
        ),
        thanks=(
            DemoThanks(
                "kwame.boateng",
                "Clear, patient and practical. I can now explain a hazard ratio to our board.",
                "We are moving follow-up calls into the first week after discharge, where "
                "the curves showed most readmissions happen.",
            ),
            DemoThanks("wei.zhang", "A great question and beautifully prepared. Thank you."),
        ),
        reflections=(
            (
                "kwame.boateng",
                "Ninety minutes with a statistician on time to readmission after heart failure.",
                "Learned to check the proportional hazards assumption before trusting a Cox model.",
                "Next: rerun every quarter and present at the directorate meeting.",
                "GMC Good Medical Practice: Knowledge, skills and development",
            ),
        ),
    ),
    DemoExchange(
        2,
        "tom.whitfield",
        Status.COMPLETED,
        60,
        listing="falls-run-chart",
        message="I build run charts for several wards and can help. Could you bring the weekly "
        "falls and bed days for the last year?",
        replies=(("isla.mackenzie", "Thank you! I will bring the weekly counts, nothing else."),),
        thanks=(
            DemoThanks(
                "isla.mackenzie",
                "Tom made the run chart rules make sense in ten minutes.",
                "The ward now looks at the falls chart at every Monday huddle.",
            ),
        ),
        reflections=(
            (
                "tom.whitfield",
                "Explaining shifts and trends to clinicians made me simplify how I present "
                "them. I will reuse the one-page guide we wrote together.",
            ),
        ),
    ),
    DemoExchange(
        3,
        "rebecca.achieng",
        Status.COMPLETED,
        60,
        listing="ward-managers",
        message="I have just become the midwife in charge of our labour ward and would love "
        "some coaching on leading handovers.",
        replies=(("amina.okafor", "Congratulations! Let us pick one handover to work on."),),
        thanks=(
            DemoThanks(
                "rebecca.achieng",
                "Amina listened more than she spoke and left me with a plan I used the next "
                "morning.",
                "Our handovers now end with a two-minute safety check.",
            ),
            DemoThanks(
                "amina.okafor",
                "It was a privilege to hear how your team works. I learned as much as I gave.",
            ),
        ),
        reflections=(
            (
                "amina.okafor",
                "An hour's coaching, by video, for a midwife newly in charge of a labour ward "
                "in Nairobi, on leading the morning handover.",
                "Coaching someone in another country showed me how much our huddle depends "
                "on context: what works on my ward is not a template for hers.",
                "I now ask new ward leads what their handover is for before I suggest how to "
                "run it, and I have added a two-minute safety check to our own huddle.",
                "NMC Code: Practise effectively; NMC Code: Promote professionalism and trust",
            ),
        ),
    ),
    DemoExchange(
        4,
        "ravi.patel",
        Status.COMPLETED,
        90,
        listing="rota-python",
        message="I write Python every day and would enjoy this. Could you send the copy with "
        "invented names?",
        replies=(("grace.mensah", "Attached to my e-mail. The travel times are the hard part."),),
        thanks=(
            DemoThanks(
                "grace.mensah",
                "Ravi's script finds gaps and double bookings in seconds.",
                "Coordinators finish the rota by Thursday, and carers get it a day earlier.",
            ),
            DemoThanks(
                "ravi.patel", "Seeing the rota through a coordinator's eyes was eye-opening."
            ),
        ),
    ),
    DemoExchange(
        5,
        "mohammed.rahman",
        Status.PROPOSED,
        60,
        listing="first-pdsa",
        message="We want to test releasing ten on-the-day appointments at 8am instead of all "
        "at once. Could you help us plan the first cycle?",
    ),
    DemoExchange(
        6,
        "tom.whitfield",
        Status.DELIVERED,
        60,
        listing="observations-spc",
        message="I can build this in Excel so that it updates from your shift log.",
        replies=(("amina.okafor", "Perfect: the huddle already uses Excel."),),
    ),
    DemoExchange(
        7,
        "amina.okafor",
        Status.PROPOSED,
        60,
        listing="literature-search",
        message="I would like to know what has worked elsewhere to reduce missed observations "
        "at night.",
    ),
    DemoExchange(
        8,
        "zainab.ali",
        Status.COMPLETED,
        60,
        listing="deprescribing",
        logged=45,
        message="Our practice has many care home residents on ten or more medicines. Could I "
        "join a session?",
        thanks=(
            DemoThanks(
                "zainab.ali",
                "Practical and kind. The cases felt just like my Tuesday care home round.",
                "I now review one care home resident's medicines each week with the pharmacist.",
            ),
        ),
        reflections=(
            (
                "zainab.ali",
                "For appraisal: deprescribing framework, shared decisions with families, "
                "what to monitor after stopping a medicine.",
            ),
        ),
    ),
    DemoExchange(
        9,
        "tunde.bakare",
        Status.COMPLETED,
        60,
        direct=DemoDirect(
            other="hannah.goldberg",
            member_gives=True,
            title="Starting reflective sessions for a carers' group",
            area="staff-wellbeing",
            benefit="Helps a carers' group offer a safe space to talk about the emotional side "
            "of caring.",
        ),
        message="Logging the hour we spent on your reflective sessions, as promised.",
        thanks=(
            DemoThanks(
                "hannah.goldberg",
                "Tunde showed us how to hold a safe, gentle space. Our first session went well.",
                "Eight carers came to the first session and all want another.",
            ),
        ),
    ),
    DemoExchange(
        10,
        "marta.kowalska",
        Status.ACCEPTED,
        60,
        listing="polish-invitations",
        message="I speak Polish at home and translate for families at work. Happy to help.",
        replies=(("fatima.hussain", "Wonderful, thank you. I will send both texts today."),),
    ),
    DemoExchange(
        11,
        "david.llewellyn",
        Status.DELIVERED,
        90,
        listing="discharge-sheet",
        message="Our discharge letter for people going home with care is four pages long. "
        "Could we make it one?",
    ),
    DemoExchange(
        12,
        "sanne.bakker",
        Status.DECLINED,
        90,
        listing="discharge-map",
        message="I could facilitate this remotely from Utrecht with a shared whiteboard.",
        reason="Thank you, Sanne. We need someone in the room with the team for this one, but "
        "I would love your help with a huddle board afterwards.",
    ),
    DemoExchange(
        13,
        "noor.siddiqui",
        Status.DISPUTED,
        90,
        listing="interview-analysis",
        logged=120,
        message="We interviewed twelve people who use day services. Could you help us find the "
        "themes?",
        reason="We agreed an hour and a half for the coding session. Two hours were logged; "
        "the extra half hour was follow-up notes I thought were included.",
    ),
    DemoExchange(
        14,
        "lars.devries",
        Status.VOIDED,
        60,
        listing="delirium-elearning",
        message="I do usability testing with clinicians and can watch your colleagues try the "
        "module.",
        reason="The session did not take place: we could not find a time across our time zones.",
        resolution=DemoResolution(
            MODERATOR,
            None,
            "Both members confirmed the session did not happen, so no credits move and the "
            "hold is released.",
        ),
    ),
    DemoExchange(
        15,
        "aisha.bello",
        Status.COMPLETED,
        60,
        listing="audit-mentoring",
        logged=90,
        message="I would like to audit how we record ethnicity at outpatient booking.",
        reason="We agreed one hour. The extra half hour was an e-mail afterwards that I did "
        "not expect to count.",
        resolution=DemoResolution(
            ADMIN,
            60,
            "Both members agree the session itself was one hour, as first proposed, so one "
            "hour is recorded.",
        ),
        thanks=(
            DemoThanks(
                "aisha.bello",
                "Thank you for the mentoring, and for being gracious about the mix-up.",
                "Our audit of ethnicity recording starts next month.",
            ),
        ),
    ),
    DemoExchange(
        16,
        "joseph.kamau",
        Status.CANCELLED,
        60,
        listing="code-review",
        message="Our visit data goes through a Python script that nobody has checked since "
        "it was written.",
        reason="Our data project is postponed until after the rainy season. Thank you, Ravi.",
        cancelled_by="joseph.kamau",
    ),
    DemoExchange(
        17,
        "lars.devries",
        Status.CANCELLED,
        60,
        listing="visits-dashboard",
        message="We built something similar for district nurses. I can show you how it works "
        "offline.",
        reason="I have been asked to cover a system go-live next week. Can we try again next "
        "month?",
        cancelled_by="lars.devries",
        cancel_after_accept=True,
    ),
    DemoExchange(
        18,
        "chloe.tremblay",
        Status.PROPOSED,
        90,
        listing="ethics-walkthrough",
        message="We are planning a small evaluation of a new handover tool and I am not sure "
        "it needs ethics review. Could we go through it together, in French or English?",
    ),
    DemoExchange(
        19,
        "arjun.mehta",
        Status.ACCEPTED,
        60,
        listing="strength-balance",
        message="Our care homes in Melbourne would love to adapt your class plan for residents.",
        replies=(("siobhan.murphy", "Lovely. Early morning in Dublin is evening for you?"),),
    ),
    DemoExchange(
        20,
        "sean.obrien",
        Status.COMPLETED,
        60,
        listing="leaflet-review",
        message="Could you read our new leaflet on starting insulin?",
        thanks=(
            DemoThanks(
                "sean.obrien",
                "Ellen found every sentence that would have worried a family.",
                "The leaflet is now half the length and in every diabetes clinic.",
            ),
            DemoThanks("ellen.fraser", "Thank you for listening to a carer's view so openly."),
        ),
        reflections=(
            (
                "sean.obrien",
                "I write for clinicians without noticing. Ask a carer to read it first.",
            ),
        ),
    ),
    DemoExchange(
        21,
        "oluwaseun.adeyemi",
        Status.COMPLETED,
        60,
        listing="root-cause",
        message="We are preparing a review of a delayed sepsis escalation and want to do it "
        "without blame.",
        thanks=(
            DemoThanks(
                "oluwaseun.adeyemi",
                "Chloé turned a tense review into a learning conversation.",
                "Our actions now change the escalation process instead of naming a person.",
            ),
        ),
    ),
    DemoExchange(
        22,
        "james.thornton",
        Status.ACCEPTED,
        60,
        listing="reflective-practice",
        message="Our theatre team has had a hard month. Could you run a session for us?",
    ),
)
