"""Synonym tables and cue patterns: the words people use, mapped to the schema's values.

Everything here is data (regex fragments over the *normalised* text: lower case, ASCII dashes,
``>=`` for ``≥``). ``slots.py`` compiles it once. Patterns are written for the working text after
typo correction, so they only need canonical spellings (plus the British/American pairs, which
are both correct and therefore never "corrected").
"""

from __future__ import annotations

# --------------------------------------------------------------------------- adverse events
# Lay words and spellings for MedDRA preferred terms. Keys are canonical PTs (British spelling,
# as the caller hands them in). A key that the caller did not hand in is still *understood*: the
# parse carries the user's words as ``term_text`` so the engine can say "not reported".
AE_SYNONYMS: dict[str, list[str]] = {
    "Thrombocytopenia": [
        r"thrombocytop(?:a|ae)?enia\w*", r"thrombocytop(?:a|ae)?enic",
        r"low (?:blood )?platelets?(?: counts?| levels?)?",
        r"platelets? (?:counts? )?(?:dropp?\w*|fall\w*|fell|decrease\w*|low|loss|reduction)",
        r"(?:drop|fall|decrease|reduction|loss)e?s? (?:in|of) (?:blood )?platelets?(?: counts?)?",
        r"low plts?", r"plt (?:drop|decrease)\w*",
    ],
    "Fatigue": [r"fatigue\w*", r"tired(?:ness)?", r"exhaust(?:ion|ed)", r"weariness",
                r"lack of energy", r"lethargy", r"lethargic", r"worn out"],
    "Nausea": [r"nausea\w*", r"nauseous", r"nauseat\w*", r"(?:felt|feel|feeling) (?:sick|queasy)",
               r"queasy", r"queasiness", r"sick to (?:their|the) stomach"],
    "Anaemia": [r"an(?:a|ae|e)mi(?:a|c)",
    r"low (?:red (?:blood )?cells?(?: counts?)?|ha?emoglobin|hb|hgb|rbcs?)",
                r"(?:ha?emoglobin|hb) (?:drop\w*|fall\w*|low)"],
    "Neutropenia": [r"neutrop(?:a|ae)?enia\w*", r"neutropenic",
                    r"low neutrophils?(?: counts?)?", r"neutrophils? (?:counts? )?(?:drop\w*|low)",
                    r"low anc"],
    "Hyponatraemia": [r"hyponatr(?:a|ae)?emia\w*", r"low (?:blood |serum )?sodium(?: levels?)?",
                      r"sodium (?:levels? )?(?:drop\w*|low|fell|fall\w*)"],
    "Leukopenia": [r"leu[ck]op(?:a|ae)?enia\w*", r"low white (?:blood )?cells?(?: counts?)?",
                   r"low (?:wbcs?|white counts?|leu[ck]ocytes?)"],
    "Diarrhoea": [r"diarrh(?:o|oe|e)?a\w*", r"diarrhoeal", r"loose (?:stools?|bowels?)",
                  r"the runs", r"runny stools?"],
    "Vomiting": [r"vomit\w*", r"throw(?:ing|n)? up", r"threw up", r"being sick", r"emesis",
                 r"got sick"],
    "Decreased appetite": [r"decreased appetite",
    r"(?:loss|lack|lost|losing|reduced|poor|low|decreased|less|no) (?:of )?(?:their |the "
    r")?appetites?",
                           r"appetite (?:loss|decrease\w*|reduction|reduced|problems?)",
                           r"anorexia",
                           r"not (?:feeling )?hungry", r"(?:did not|didn't) feel hungry"],
    "Haemorrhage": [r"ha?emorrhag\w*"],
    "Pneumonia": [r"pneumonia", r"chest infections?", r"lung infections?"],
    "Sepsis": [r"sepsis", r"septic\w*", r"blood poisoning", r"bloodstream infections?"],
    # Understood words for PTs usually *not* handed in (the study does not report them). If the
    # caller does hand one in, it becomes a normal ``term``.
    "Weight decreased": [r"weight (?:loss|decrease\w*|drop\w*|reduction)",
    r"(?:lost|losing|lose) weight",
                         r"decreased weight"],
    "Constipation": [r"constipat\w*"],
    "Dysgeusia": [r"dysgeusia", r"(?:changes? in|altered|loss of|bad) taste",
    r"taste (?:changes?|disturbance)"],
    "Vision blurred": [r"blurr?(?:ed|y) vision", r"vision blurr?ed", r"blurr?ing"],
    "Dizziness": [r"dizz(?:y|iness)"],
    "Peripheral neuropathy": [r"(?:peripheral )?neuropath\w*", r"pins and needles", r"numbness"],
    "Hyperglycaemia": [r"hyperglyc(?:a|ae)?emia", r"high (?:blood )?(?:sugar|glucose)"],
    "Pyrexia": [r"pyrexia", r"fevers?", r"febrile"],
    "Dyspnoea": [r"dyspn(?:o|oe|e)?a", r"short(?:ness)? of breath", r"breathless\w*"],
    "Cough": [r"cough\w*"],
    "Insomnia": [r"insomnia", r"(?:trouble|difficulty) sleeping", r"sleeplessness"],
    "Asthenia": [r"asthenia", r"weakness"],
    "Headache": [r"headaches?"],
    "Hypokalaemia": [r"hypokal(?:a|ae)?emia", r"low potassium"],
    "Oedema peripheral": [r"o?edema", r"swollen (?:legs|ankles|feet)", r"swelling"],
    "Alopecia": [r"alopecia", r"hair loss", r"losing (?:their )?hair"],
    "Cataract": [r"cataracts?"],
    "Confusional state": [r"confusion", r"confused"],
    "Upper respiratory tract infection": [r"upper respiratory (?:tract )?infections?", r"urtis?",
    r"colds?"],
    "Lymphopenia": [r"lymphop(?:a|ae)?enia", r"low lymphocytes?"],
    "Hypophosphataemia": [r"hypophosphat(?:a|ae)?emia", r"low phosphate"],
    "Abdominal pain": [r"abdominal pain", r"(?:stomach|belly|tummy) (?:pain|ache)s?"],
    "Back pain": [r"back pain"],
    "Infection": [r"infections?"],
}

# Words naming adverse events in general: "any adverse event", "grade 3-4 AEs".
GENERIC_AE = (r"\badverse (?:events?|reactions?|effects?|experiences?)\b|\baes?\b|\bteaes?\b|"
              r"\bsaes?\b|\bside[- ]?effects?\b|\btoxicit(?:y|ies)\b|\btoxic effects?\b|"
              r"\bcomplications?\b|\bunwanted effects?\b")
SERIOUS = r"\bsaes?\b|\bserious\b"
BLEEDING = (r"\bbleed\w*|\bbled\b|\bha?emorrhag\w*|\bblood loss\b|"
            r"\bhematomas?\b|\bhaematomas?\b")

# --------------------------------------------------------------------------- grades
_G = r"([1-5]|one|two|three|four|five|iv|v|i{1,3})"
GRADE_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5,
               "i": 1, "ii": 2, "iii": 3, "iv": 4, "v": 5}
GRADE_BETWEEN = (rf"\bgrades? {_G} ?(?:-|to|or|/|and|&|through) ?(?:grade )?{_G}\b"
                 r"(?! ?(?:or|and) (?:higher|above|worse|greater|more|over))")
GRADE_GE = (rf"\bgrades? ?(?:>=|=>|>) ?{_G}\b|(?:>=|=>)\s?(?:grade )?{_G}\b|"
            rf"\bgrades? {_G} ?(?:\+|plus\b|or (?:higher|above|greater|worse|more|over|up)\b|"
            r"and (?:higher|above|over|up|worse)\b|or more severe\b|upwards?\b)|"
            rf"\b(?:at least|minimum(?: of)?) grade {_G}\b|\b{_G}\+ grade\b")
GRADE_EQ = rf"\bgrades? {_G}\b(?: only)?"
GRADE_SEVERE = r"\bsevere\b|\bhigh[- ]grade\b|\bgrade[- ]?3[- ]?plus\b"
GRADE_MILD = r"\bmild\b|\blow[- ]grade\b"
GRADE_ANY = r"\b(?:any|all) grades?\b(?! ?(?:[1-5]|>|one|two|three|four|five))|\bwhatever grade\b"
GRADE_BARE = r"\bgrades?\b|\bgrading\b"

# --------------------------------------------------------------------------- response
# Single IMWG categories, most specific first (alternation order matters: "very good partial"
# must win over "partial", "stringent complete" over "complete").
CATEGORY_PATTERNS: list[tuple[str, str]] = [
    ("sCR",
     r"\bs ?crs?\b|\bstringent (?:complete )?(?:respon\w*|remissions?|crs?)\b|\bstringent\b"),
    ("VGPR", r"\bvgprs?\b|\bvery good (?:partial )?respon\w*"),
    ("CR", r"\bcrs?\b|\bcomplete (?:respon\w*|remissions?)"),
    ("PR", r"\bprs?\b|\bpartial (?:respon\w*|remissions?)"),
    ("MR", r"\bmrs?\b|\bminimal respon\w*|\bminor respon\w*"),
    ("SD", r"\bsd\b|\bstable (?:disease|diseases)\b|\bdisease (?:was )?stable\b|\bstabili[sz]ed\b"),
    ("PD", r"\bpd\b|\bprogressive disease\b"),
    ("NE", r"\bnot (?:evaluable|assessable|evaluated)\b|\bnon-?evaluable\b|\bunevaluable\b|"
           r"\binevaluable\b|\bcould not be evaluated\b"),
]
# "… or better" after a category, or "at least" before it, turns it into a threshold.
OR_BETTER_AFTER = (r"^\W{0,2}(?:or (?:better|higher|above|greater|more|deeper)|and (?:better|above|"
                   r"higher)|\+)")
OR_BETTER_BEFORE = r"(?:at least(?: an?)?|>=|=>|or better than|minimum(?: of)?(?: an?)?) ?$"
# Threshold words that are not category names.
THRESHOLD_PATTERNS: list[tuple[str, str, float]] = [
    ("MR", r"\bclinical(?:ly)? benefi\w*|\bcbrs?\b|\bbenefit(?:ed|ted)? clinically\b|"
           r"\bclinically meaningful respon\w*", 3.0),
    ("PR", r"\boverall respon\w*(?: rates?)?|\bobjective respon\w*(?: rates?)?|\borrs?\b|"
           r"\brespon(?:se|ses)? rates?\b|\brate of respon\w*|\brespond(?:ed|ers?|ing)?\b|"
           r"\bresponsive\b", 3.0),
    ("PR", r"\brespon(?:se|ses)\b", 1.5),
]
BREAKDOWN = (r"\bbest (?:overall )?respon\w*|\b(?:breakdown|distribution|split|table|tabulation|"
             r"categories|each category|by category|per category)\b")
BREAKDOWN_NEEDS = r"respon|\bbor\b|\bcategor"

# --------------------------------------------------------------------------- time to event
# (value, pattern, weight). Ordered: the specific phrases that contain "response" come first so
# that they are consumed before the response extractor sees them.
ENDPOINT_PATTERNS: list[tuple[str, str, float]] = [
    ("DOR", r"\bdors?\b|\bduration of (?:the )?(?:overall )?respon\w*|\brespon\w* duration\b|"
            r"\bhow long (?:did|do|were|was) (?:the )?respon\w*(?: \w+){0,2}? (?:last\w*|"
            r"maintain\w*|sustain\w*|persist\w*|hold)\b|"
            r"\brespon\w* (?:last\w*|persist\w*)\b|\bhow durable (?:were |was |are )?(?:the "
            r")?respon\w*|"
            r"\bdurab\w*(?: of (?:the )?respon\w*)?|\brespon\w* (?:\w+ )?durable\b|\blength of "
            r"respon\w*", 4.0),
    ("TTR", r"\bttr\b|\btime (?:to|until|till|before) (?:first |initial )?respon\w*|"
            r"\bhow (?:quickly|fast|soon|rapidly|long before|long until|long did it "
            r"take)\b[^?.!]{0,40}?respon\w*|"
            r"\bonset of respon\w*|\bspeed of respon\w*", 4.0),
    ("TRTDUR", r"\b(?:duration|length) of (?:the )?(?:treatment|therapy|dosing|exposure)\b|"
               r"\btreatment (?:duration|length|exposure)\b|\btime on (?:treatment|therapy|study|"
               r"drug)\b|"
               r"\bhow long (?:were|was|did|do) [^?.!]{0,30}?(?:treated|on (?:treatment|therapy|"
               r"selinexor|the drug|study|the study|drug)|"
               r"stay\w* on|remain\w* on|receiv\w*|take it|taking it|continue\w*)\b|"
               r"\b(?:stay|stayed|remain|remained) on (?:treatment|selinexor|therapy|the drug)\b|"
               r"\bstill (?:on|receiving|taking|being treated)\b|\b(?:ongoing|continuing) "
               r"(?:treatment|therapy)\b",
               4.0),
    ("PFS", r"\bpfs\b|\bprogression[- ]?free(?: survival)?\b|\btime to (?:disease )?progression\b|"
            r"\bttp\b|\b(?:until|before|till) (?:the )?(?:disease|cancer|myeloma|patients?|they) "
            r"(?:progress\w*|got worse|worsen\w*|relapse\w*)|"
            r"\bprogression\b|\bprogress(?:ed)?\b", 4.0),
    ("OS", r"\bos\b|\boverall survival\b|"
           r"\bhow long (?:did|do|were|could|would) [^?.!]{0,30}?(?:live|survive|stay alive|"
           r"alive)\b|"
           r"\bsurviv(?:e|ed)\b|\blife expectancy\b|\btime to death\b", 4.0),
]
SURVIVAL_BARE = r"\bsurvival\b"

# --------------------------------------------------------------------------- populations
POPULATION_PATTERNS: list[tuple[str, str]] = [
    ("non_penta",
     r"\bnon[- ]?penta\w*(?:[- ](?:class[- ])?refractory)?|\bnot penta\w*(?:[- ]refractory)?|"
                  r"\b(?:the )?other 39\b(?: patients)?|\b39 (?:other |remaining |non-?penta\w* "
                  r")?patients\b|"
                  r"\bthe (?:other|remaining) (?:patients|ones|people|group|subgroup)\b|\bthe "
                  r"others\b|"
                  r"\bthe rest\b|\bother patients\b|\bremaining patients\b|\bwithout penta\w*|"
                  r"\bless refractory\b|\bthose who were not\b"),
    ("penta",
     r"\bpenta[- ]?(?:class[- ])?refractory\b|\bpenta(?:[- ]?(?:drug[- ])?(?:refractory|"
     r"exposed))?\b|"
              r"\bpentarefractory\b|\b83 (?:penta\w* )?patients\b|\bthe 83\b|\bquint\w* "
              r"refractory\b"),
    ("mITT",
     r"\bm-?itt\b|\bmodified intent\w*(?:[- ]to[- ]treat)?\b|\bintent\w*[- ]to[- ]treat\b|\bitt\b|"
             r"\befficacy (?:population|set|cohort)\b|\ball 122\b|\b122 patients\b"),
    ("safety",
     r"\bsafety (?:population|set|analysis set|cohort|group)\b|\ball 123\b|\b123 patients\b"),
]

# --------------------------------------------------------------------------- statistics
CI_METHOD_PATTERNS: list[tuple[str, str]] = [
    ("wilson-cc",
     r"\bwilson(?: score)?(?: intervals?| cis?| method)?(?: with| plus| \+| and)? (?:a |the "
     r")?continuity[- ]correct\w*|"
                  r"\bcontinuity[- ]corrected wilson\b|\bwilson[- ]cc\b|\bwilson[- ]corrected\b"),
    ("wilson", r"\bwilson\b"),
    ("jeffreys", r"\bjeffrey'?s?\b"),
    ("agresti-coull", r"\bagresti(?:[- ]coull)?\b|\bcoull\b"),
    ("clopper-pearson",
     r"\bclopper(?:[- ]pearson)?\b|\bexact(?: binomial)? (?:intervals?|cis?|method|confidence|one|"
     r"limits?)\b|"
                        r"\b(?:the |an? )?exact method\b|\bcp\b|\b(?:back to |use |using |switch "
                        r"to )exact\b"),
]
CI_WORDS = (r"\bci\b|\bcis\b|\bconfidence\b|\bintervals?\b|\blevel\b|\bwilson|\bjeffrey|\bagresti|"
            r"\bclopper|\bexact\b|\bcp\b|\bbounds?\b|\blimits?\b")
LEVEL_PERCENT = r"(?<![\d.])(\d{1,3}(?:\.\d+)?) ?(?:%|percent\b|per ?cent\b|pct\b)"
LEVEL_FRACTION = r"(?<![\d.])(0?\.\d{1,4})\b"
LEVEL_BARE = r"\b(?:level|confidence)(?: level)? (?:of |to |= ?|at |is )?(\d{2}(?:\.\d+)?)\b(?! ?%)"
PERSIST = (r"\bfrom now on\b|\bgoing forward\b|\bhenceforth\b|\bfor the rest\b|\bfrom here on\b|"
           r"\bfor (?:all|every|everything|each)\b|\ball (?:the )?(?:intervals|answers|cis|"
           r"questions|results|rates)\b|"
           r"\balways\b|\bby default\b|\bdefault\b|\bswitch\w*\b|\bchange\b|\bset\b|\bgo back\b|"
           r"\breset\b|"
           r"\bback to\b|\bpermanently\b|\bfrom this point\b|\bthereafter\b|\bfor later\b")
USE_ONLY = r"^(?:please |pls |now |ok,? |okay,? )?(?:use|using|try|apply|give me|with|show)\b"

# --------------------------------------------------------------------------- safety cues
DEATHS = (r"\bdeaths?\b|\bdied\b|\bdie\b|\bdying\b|\bfatal\w*|\bmortality\b|\bdead\b|\bkilled\b|"
          r"\bgrade 5\b|\blost their lives?\b|\bpassed away\b")
ACTION_PATTERNS: list[tuple[str, str]] = [
    ("dose_modification",
     r"\bdos(?:e|es|ing|age)s? (?:was |were |had to be |being )?(?:reduc|modif|adjust|interrupt|"
     r"chang|delay|hold|held|lower|decreas|cut|skip|paus)\w*|"
     r"\b(?:reduc|modif|adjust|interrupt|lower|decreas|cut)\w* (?:in |of |to )?(?:the |their |of "
     r"(?:the )?)?(?:selinexor )?dos(?:e|es|ing|age)s?\b|"
     r"\bdose[- ]?(?:reductions?|modifications?|adjustments?|interruptions?|delays?|holds?|"
     r"changes?|reduced)\b|"
     r"\binterrupt\w*|\btreatment (?:holds?|delays?|pauses?)\b"),
    ("discontinuation",
     r"\bdiscontinu\w*|\bstopp(?:ed|ing)\b|\bstops?\b(?= (?:the |their )?(?:treatment|taking|"
     r"therapy|selinexor|drug|study))|"
     r"\bquit\w*|\b(?:came|come|coming|went|taken|taking) off\b|\bwithdr[ae]w\w*|\bdrop(?:ped)? "
     r"out\b|\bdropouts?\b|"
     r"\bleft the (?:study|trial)\b|\bceased?\b|\bgave up\b|\babandon\w*"),
]
TOP = (r"\b(?:most|more) (?:common(?:ly)?|frequent(?:ly)?|often|prevalent|typical|usual|"
       r"reported)\b|\bcommonest\b|"
       r"\btop \d+\b|\btop (?:one|two|three|four|five|six|seven|eight|nine|ten)\b|"
       r"\b(?:main|major|key|common|principal|frequent|usual|typical|notable) (?:side[- ]?effects|"
       r"adverse|toxicit\w*|aes|teaes|safety)|"
       r"\bwhat (?:were |are )?(?:the )?(?:side[- ]?effects|adverse events?|aes|toxicit\w*)\b|"
       r"\bsafety profile\b|"
       r"\blist (?:the |all )?(?:\w+ )?(?:side[- ]?effects|adverse events|aes|toxicities)\b|"
       r"\bwhich (?:side[- ]?effects|adverse events|aes|toxicities)\b|\btolerab\w*|\bhow (?:safe|"
       r"toxic|well tolerated)\b")
NUMBER_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
                "eight": 8, "nine": 9, "ten": 10, "twelve": 12, "fifteen": 15, "twenty": 20}
TOP_N = (r"\btop (\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten|twelve|fifteen|"
         r"twenty)\b|"
         r"\b(\d{1,2}|two|three|four|five|six|seven|eight|nine|ten|twelve|fifteen|twenty) "
         r"(?:most|commonest|main|leading)\b")

# --------------------------------------------------------------------------- baseline
BASELINE_PATTERNS: list[tuple[str, str]] = [
    ("age", r"\bages?\b|\baged\b|\bhow old\b|\byears old\b|\bolder\b|\belderly\b"),
    ("diagnosis_years",
     r"\b(?:time|years?|duration|how long) (?:since|from|after) (?:initial |first |their "
     r")?diagnos\w*|"
                        r"\bdisease duration\b|\bduration of (?:disease|myeloma|illness)\b|"
                        r"\bhow long (?:had|have|did) (?:they|patients|people|the patients) (?:had|"
                        r"have|been living with|lived with|live with|been diagnosed|suffered|been "
                        r"ill)\b|"
                        r"\bsince (?:they were )?diagnos\w*|\bwhen (?:were they|they were) "
                        r"diagnosed\b"),
    ("prior_regimens",
     r"\b(?:prior|previous|earlier|past|preceding) (?:lines?|regimens?|treatments?|therapies|"
     r"therapy|rounds)\b|"
                       r"\blines? of (?:prior )?(?:therapy|therapies|treatment|treatments)\b|"
                       r"\bpre-?treated\b|\bpretreatment\b|"
                       r"\btreatment history\b|\bregimens?\b(?= [^?.]*\b(?:before|previously|had|"
                       r"received|prior)\b)"),
    ("unique_agents",
     r"\b(?:unique|different|distinct|separate|individual) (?:anti-?myeloma |antimyeloma |myeloma "
     r")?(?:agents|drugs|medications|medicines|therapies|compounds)\b|"
                      r"\bunique agents?\b|\bagents? (?:they|patients) had (?:been )?(?:exposed|"
                      r"received)"),
    ("cytogenetics",
     r"\bcytogenetic\w*|\bhigh[- ]risk\b|\bdel ?\(?17p\)?|\bt\(4;14\)|\bt\(14;16\)|\b17p\b|"
                     r"\bgain 1q|\b1q21?\b|\bchromosom\w*|\bgenetic risk\b|\bgenetics\b"),
    ("population_size",
     r"^(?:so |and |ok |okay )?how many (?:patients|people|subjects|participants|pts)(?: were| was|"
     r" are)?"
                        r"(?: there| in (?:the |this )?(?:study|trial|storm|part 2)| enrolled| "
                        r"included| treated| recruited| took part| participated|"
                        r" in total| total| altogether| in it)*\W*$|\bsample size\b|\bhow (?:big|"
                        r"large) was (?:the )?(?:study|trial)\b|"
                        r"^(?:the )?number of (?:patients|participants|subjects)(?: enrolled| in "
                        r"(?:the )?(?:study|trial))?\W*$|"
                        r"\benrol?led\b|\brecruited\b|\bstudy size\b|\bsize of the (?:study|"
                        r"trial)\b|\bhow many (?:were )?enrolled\b"),
    ("sex", r"\bsex\b|\bgenders?\b|\bmales?\b|\bfemales?\b|\bwomen\b|\bmen\b"),
    ("race", r"\brac(?:e|es|ial)\b|\bethnic\w*|\b(?:white|black|asian|hispanic) patients\b"),
    ("ecog", r"\becog\b|\bperformance status\b|\bperformance score\b|\bkarnofsky\b"),
    ("iss", r"\biss\b|\br-?iss\b|\bstag(?:e|es|ing)\b"),
    ("transplant", r"\btransplant\w*|\basct\b|\bstem[- ]cell\b|\bautologous\b|\ballogeneic\b"),
]
# "how many were penta-refractory": a count of a refractory status, not a rate within it.
REFRACTORY_COUNT = (r"(?:how many|proportion|percentage|share|number|fraction|what percent(?:age)?|"
                    r"what %|%)(?: (?:of|the|patients|people|participants|them|were|was|are|had|in "
                    r"total))*"
                    r" (?:(?:penta|triple|quad|double|pentadrug)[- ]?(?:class[- ]|drug[- ])?"
                    r"refractory|penta)(?: disease| patients?| myeloma)?\W*$")

# --------------------------------------------------------------------------- study facts
# (topic, pattern, weight). A weight above the others breaks ties in favour of the more
# specific topic (news item over publication, schedule over dose).
TOPIC_PATTERNS: list[tuple[str, str, float]] = [
    ("design", r"\b(?:study|trial) design\b|\bdesign\b|\brandomi[sz]\w*|\bopen[- ]label\b|"
               r"\bsingle[- ]arm\b|\bblind\w*|\bcontrol (?:arm|group)\b|\bplacebo\b|"
               r"\bwhat (?:kind|type|sort) of (?:study|trial)\b|\bmulti-?cent\w*|"
               # An overview question is answered with the design first.
               r"\btell me about (?:the |this )?(?:study|trial|storm)\b|\bwhat (?:is|was) storm\b|"
               r"\boverview\b|\bsummar(?:y|ise|ize)\b|\bwhat was (?:the|this) (?:study|trial)\b",
               3.6),
    ("phase", r"\bphase\b|\bwhat phase\b", 3.6),
    ("regimen",
     r"\bregimens?\b|\bwhat (?:treatment|therapy|drugs?|medications?|combination|medicines?)\b|"
                r"\bwhat did (?:the )?(?:patients|they|people|participants) (?:get|receive|take)\b|"
                r"\bcombination\b|"
                r"\bwhich drugs?\b|\btreatment (?:was|did) (?:patients|they)\b|\bhow were "
                r"(?:patients|they) treated\b", 3.5),
    ("dose", r"\bdos(?:e|es|ing|age)\b|\bmg\b|\bhow much\b|\bmilligrams?\b|\bstrength\b", 3.4),
    ("schedule", r"\bschedules?\b|\btwice[- ]weekly\b|\btwice a week\b|\bwhich days\b|"
                 r"\bcycles?\b|\bdays 1 and 3\b|\bdosing frequency\b", 3.8),
    # "how often" asks about the schedule only when nothing else is asked ("how often was
    # nausea reported" is an incidence question), hence the low weight.
    ("schedule",
     r"\bhow often (?:was|were|is|did) (?:it|selinexor|the drug|dexamethasone|dex|they dosed|"
     r"treatment)\b|"
                 r"\bhow often\b|\bhow frequently\b|\bfrequency\b", 2.0),
    ("mechanism", r"\bmechanism\w*|\bhow does (?:selinexor|it|the drug|this drug|xpovio) work\b|"
                  r"\bwhat does (?:selinexor|xpovio|the drug|it) do\b|\bmode of action\b|\bmoa\b|"
                  r"\bhow it works\b|"
                  r"\bnuclear export\b|\bhow (?:selinexor|it) acts\b|\bwhat kind of drug\b|\bwhat "
                  r"class of drug\b|"
                  r"\bwhat is selinexor\b|\bwhat's selinexor\b|\bdrug class\b", 3.8),
    ("eligibility",
     r"\beligib\w*|\binclusion\b|\bexclusion\b|\bentry criteria\b|\bwho (?:could|can|was able to|"
     r"were able to) "
                    r"(?:enrol+|join|take part|participate|be included)\b|\bprior exposure\b|"
                    r"\brequired (?:prior|previous)\b|"
                    r"\bwho qualified\b", 3.8),
    # Weaker: "were patients refractory to daratumumab?" is about entry criteria unless a
    # baseline variable is also named ("how many drugs had they been exposed to").
    ("eligibility",
     r"\b(?:refractory|resistant) to\b|\bexposed to\b|\bprior (?:exposure|therapy) (?:to|with)\b",
     3.0),
    ("primary_endpoint",
     r"\bprimary (?:end ?points?|outcomes?|objectives?|measures?)\b|\bmain (?:end ?points?|"
     r"outcomes?|objectives?)\b", 4.2),
    ("secondary_endpoint", r"\bsecondary (?:end ?points?|outcomes?|objectives?|measures?)\b", 4.2),
    ("endpoints",
     r"\bend ?points?\b|\boutcomes? (?:were )?measured\b|\boutcome measures?\b|\bstudy "
     r"objectives?\b", 3.6),
    ("response_criteria",
     r"\bresponse criteria\b|\bcriteria (?:were |was )?used\b|\bwhich criteria\b|"
                          r"\bhow (?:was|were) (?:the )?respon\w* (?:assessed|measured|defined|"
                          r"evaluated|judged|determined)\b|"
                          r"\bimwg criteria\b|\bindependent review\b|\birc\b|\bassessed by\b", 4.2),
    ("publication",
     r"\bpublish\w*|\bjournal\b|\bcitation\b|\breference\b|\bnejm\b|\bnew england\b|\bpaper\b|"
                    r"\bdoi\b|\bcite\b|\bvolume\b|\bpages?\b", 3.6),
    ("authors",
     r"\bauthors?\b|\bwho (?:led|ran|conducted|wrote|did|authored|performed)\b|\binvestigators?\b|"
                r"\blead author\b|\bfirst author\b|\bprincipal investigator\b|\bwho is\b|\bwho "
                r"was\b|\bwho are\b|\bresearchers?\b|"
                r"\bscientists?\b", 3.5),
    ("sponsor",
     r"\bsponsor\w*|\bfund\w*|\bkaryopharm\b|\bcompany\b|\bpaid for\b|\bmanufactur\w*|\bpharma\w*|"
     r"\bwho made\b", 3.8),
    ("sites",
     r"\bsites?\b|\bcent(?:re|er)s?\b|\bcountries\b|\bwhere was (?:it|the study|the trial|storm) "
     r"(?:done|conducted|run|carried out|held)\b|"
              r"\blocations?\b|\bhospitals?\b|\binstitutions?\b", 3.7),
    ("news_item", r"\bnews\b|\blancet\b|\bstirrups\b|\bnews item\b|\bpress\b|\barticle\b", 3.9),
    ("registry",
     r"\bnct\w*|\bregist\w*|\bclinicaltrials(?:\.gov)?\b|\btrial (?:number|id|identifier)\b", 4.2),
    ("population",
     r"\bwhat (?:population|kind of patients|type of patients|disease|patients were (?:studied|"
     r"enrolled|included))\b|"
                   r"\bstudy population\b|\bwho (?:were|are) the (?:patients|participants)\b|"
                   r"\bwhich patients were (?:studied|enrolled|included)\b|"
                   r"\bpatient population\b|\bwhat population\b|\bwho was (?:studied|included|"
                   r"treated)\b", 4.0),
    ("follow_up",
     r"\bfollow[- ]?ups?\b|\bhow long (?:were|was) (?:patients|they) followed\b", 4.5),
    ("limitations",
     r"\blimitations?\b|\bweakness\w*|\bcaveats?\b|\bshortcomings?\b|\bbias\w*|\bno control\b|"
                    r"\bdrawbacks?\b|\bflaws?\b|\bhow reliable\b|\bcriticis\w*|\bcriticiz\w*", 4.0),
]
DEX = r"\bdex(?:amethasone|a|amethason\w*)?\b|\bsteroids?\b"
SELINEXOR = r"\bselinexor\b|\bxpovio\b|\bkpt-?330\b"

PERSONS: list[tuple[str, str]] = [
    ("richardson", r"\b(?:paul )?richardson\w*|\bdr\.? richardson\b"),
    ("bahlis", r"\b(?:nizar )?bahlis\w*"),
    ("chari", r"\b(?:ajai )?chari\w*"),
]
QUOTE_WORDS = (r"\b(?:say|said|says|saying|quoted?|quotes|quotation|comment\w*|statement|words|"
               r"think|thinks|thought|"
               r"remark\w*|opinion|views?|told|stated|added|mention\w*)\b")

# --------------------------------------------------------------------------- definitions
DEFINITION_TERMS: list[tuple[str, str]] = [
    ("triple_class_refractory",
     r"triple[- ]?(?:class[- ])?refractory|triple[- ]class|triple refractory|tcr"),
    ("penta_refractory", r"penta[- ]?(?:class[- ]|drug[- ])?refractory|penta"),
    ("reconstructed",
     r"reconstruct\w*|synthetic (?:data|records|patients)|simulated (?:data|records|patients)"),
    ("safety_population", r"safety (?:population|set|analysis set)"),
    ("mitt",
     r"m-?itt(?: population)?|modified intent\w*(?:[- ]to[- ]treat)?(?: population)?|intent\w*[- "
     r"]to[- ]treat|itt"),
    ("overall_response",
     r"overall respon\w*(?: rate)?|objective respon\w*(?: rate)?|orr|respon\w* rate"),
    ("clinical_benefit", r"clinical benefit(?: rate)?|cbr"),
    ("sCR", r"s ?cr|stringent (?:complete )?respon\w*|stringent cr"),
    ("VGPR", r"vgpr|very good partial respon\w*"),
    ("CR", r"cr|complete respon\w*"),
    ("PR", r"pr|partial respon\w*"),
    ("MR", r"mr|minimal respon\w*|minor respon\w*"),
    ("SD", r"sd|stable disease"),
    ("PD", r"pd|progressive disease"),
    ("dor", r"dor|duration of respon\w*"),
    ("pfs", r"pfs|progression[- ]free survival|progression[- ]free"),
    ("os", r"os|overall survival"),
    ("ttr", r"ttr|time to (?:first )?respon\w*"),
    ("xpo1",
     r"xpo-?1|exportin(?:[- ]?1)?|crm1|nuclear export(?: inhibitor)?|sine|selective inhibitor of "
     r"nuclear export"),
    ("imwg", r"imwg(?: criteria)?|international myeloma working group(?: criteria)?"),
    ("clopper_pearson",
     r"clopper[- ]?pearson(?: intervals?| method| cis?)?|exact (?:binomial )?(?:interval|ci|"
     r"method)|"
                        r"confidence intervals?|cis?"),
]
DEFINE_CUES = (r"\bdefine\b|\bdefinition\b|\bdefined\b|\bmeaning of\b|\bwhat is meant by\b|\bwhat "
               r"do you mean by\b|"
               r"\bwhat does [^?]{1,40}? (?:mean|stand for|refer to)\b|\bstands? for\b|\bmeans?\b|"
               r"\bexplain what\b|"
               r"\bwhat'?s meant by\b")
RECONSTRUCTED_CUES = (r"\b(?:real|actual|genuine|true) (?:patient )?(?:data|records|patients|"
                      r"individual data)\b|"
                      r"\breconstruct\w*|\bsynthetic\b|\bsimulated\b|\bfake\b|\bmade[- ]up\b|"
                      r"\bipd\b")

# --------------------------------------------------------------------------- discrepancies
DISCREPANCY_CUES = (r"\bdisagree\w*|\bdiscrepan\w*|\binconsisten\w*|\bconflict\w*|\bcontradict\w*|"
                    r"\bdiffer(?:ent|ing)? (?:sources|reports|figures|numbers)\b|\bsources? "
                    r"(?:differ|vary)\b|"
                    r"\bwhich (?:one |figure |number |value )?is (?:right|correct|true)\b|\bwhich "
                    r"is it\b|"
                    r"\bwhy (?:do|does|did) (?:some|the news\w*|the fda|one source|others?|\w+ "
                    r"sources?|it)\b[^?]{0,40}\bsay\b|"
                    r"\bsometimes\b|\bsome (?:sources|reports|say)\b|\bmismatch\w*|\bdon'?t "
                    r"(?:match|agree)\b")
# Two figures set against each other: "10 or 12 deaths", "26% or 26.2%", "phase 1b or 2b".
DISCREPANCY_PAIR = (r"(?<!grade )(?<!grades )\b(?:\d{2,3}(?:\.\d+)? ?%?|\d\.\d+ ?%?) (?:or|vs\.?|"
                    r"versus|and|not) "
                    r"(?:nearly |about |around |almost )?\d{1,3}(?:\.\d+)? ?%?|\b(?:phase )?[12]b "
                    r"(?:or|vs\.?|versus|not) (?:phase )?[12]b\b|"
                    r"\bphase 1b\b")
DISCREPANCY_TOPICS: list[tuple[str, str]] = [
    ("phase", r"\bphase\b|\b[12]b\b"),
    ("deaths", r"\bdeath\w*|\bdied\b|\bfatal\b|\bdie\b"),
    ("grade34", r"\b94\b|\b95\.1\b|\bgrade 3-4\b|\bgrade 3 or 4\b|\bgrade 3/4\b|\bgrade 3 and 4\b"),
    ("discontinuation", r"\bdiscontinu\w*|\bstopp\w*|\b27 ?%|\b30 ?%|\bquarter\b"),
    ("orr", r"\borr\b|\brespon\w*|\b26(?:\.\d)? ?%|\b26\.\d\b"),
]

# --------------------------------------------------------------------------- other intents
COMPARE_CUES = (r"\bcompar\w*|\bversus\b|\bvs\.?\b|\bdiffer\w*|\bcontrast\b|\bagainst\b|"
                r"\b(?:less|more|better|worse|lower|higher) than\b|\brespond (?:less|more|better|"
                r"worse)\b|"
                r"\bside by side\b|\bbetween (?:the )?penta\b")
RECORDS_CUES = (r"\b(?:list|show|display|give me|print|enumerate|get)\b(?: me)?(?: all)?(?: "
                r"the)?(?: \w+){0,2}? "
                r"(?:patients|subjects|participants|records|responders|ids|people|cases|"
                r"usubjids?)\b|"
                r"\bwhich (?:patients|subjects|people|participants|cases|ones)\b|"
                r"^(?:and |so )?who (?:had|achieved|bled|got|developed|experienced|responded|"
                r"reached)\b|"
                r"\b(?:patient|subject) (?:ids?|numbers|records|level)\b|\busubjids?\b|"
                r"\bcount (?:the )?(?:patients|subjects|people|records)\b|\bhow many patients had "
                r"both\b|\bboth\b")
# A fragment that only asks for patients ("which patients?", "how many?") re-asks the previous
# question at patient level.
MODE_ONLY_LIST = (r"^(?:and |so |ok |okay )?(?:which|who|list|show|display)(?: (?:ones|patients|"
                  r"them|people|"
                  r"were they|are they|me|those|these|the patients|subjects|ids|were|was it|had "
                  r"it))*\W*$")
MODE_ONLY_COUNT = (r"^(?:and |so |ok |okay )?(?:how many|count|number|count them)(?: (?:patients|"
                   r"people|"
                   r"was that|is that|were they|of them|in total|were there|had it|had that))*\W*$")
RECORDS_LIST = (r"\blist\b|\bshow\b|\bdisplay\b|\bwhich\b|\bwho\b|\bids?\b|\busubjid|\bprint\b|"
                r"\benumerate\b|"
                r"\brecords\b|\bgive me\b")
EXPLAIN_CUES = (r"\bhow (?:was|were|is|are|did you|do you|does it|did it|was it|is it|do|does|"
                r"did)\b(?: \S+){0,3}? "
                r"(?:comput|calculat|deriv|estimat|obtain|work(?:ed)? out|determin|figur|get)\w*|"
                r"\b(?:what|which) (?:statistical |stats )?(?:methods?|tests?|approach|formula|"
                r"technique|estimator)\b|"
                r"\bexplain (?:the |your |that |this )?(?:method|calculation|computation|maths?|"
                r"statistics|interval|number|figure|result|answer)\b|"
                r"\bexplain (?:that|this|it)\b|\bwhy is (?:the|that|this) (?:interval|ci|"
                r"confidence interval|median|rate|number|figure|estimate)\b|"
                r"\bwhere (?:does|did|do) (?:that|this|the|these) (?:number|figure|value|estimate|"
                r"result)s? come from\b|"
                r"\bshow (?:me )?(?:the |your )?(?:working|workings|calculation|maths?)\b|\bhow "
                r"did you (?:get|arrive|reach)\b|"
                r"\bmethodology\b|\bhow (?:are|were) (?:the )?(?:intervals|cis|medians) "
                r"(?:computed|calculated)\b")

# --------------------------------------------------------------------------- scope
GREETING = (r"^(?:oh |well )?(?:hi|hello|hey|hiya|howdy|greetings|yo|hallo|hola|good (?:morning|"
            r"afternoon|evening|day)|how are you(?: doing| today)?|what'?s up|sup|how'?s it going)"
            r"(?: there| stormchat| bot| assistant| all| everyone| friend| again)?[\s!.,:)?]*$")
THANKS = (r"^(?:(?:ok|okay|great|perfect|nice|cool|brilliant|excellent|awesome|wonderful|lovely|"
          r"good|that'?s? (?:great|helpful|useful)|"
          r"got it|understood)[\s!.,]*)*(?:thanks|thank you|thankyou|thx|ty|tysm|cheers|many "
          r"thanks|ta|much appreciated|"
          r"appreciated|thanks a lot|thank u)?(?: so much| very much| a lot| again| for (?:that|"
          r"the help|your help|this))?[\s!.,:)]*"
          r"(?:(?:good)?bye|bye[- ]bye|see you|see ya|that'?s all|done|ciao)?[\s!.,:)]*$")
THANKS_WORD = (r"\b(?:thanks|thank you|thankyou|thx|ty|tysm|cheers|appreciated|thank u|goodbye|bye|"
               r"see you|see ya|that'?s all|ciao)\b")
HELP = (r"^(?:help|help me|help please|please help|\?{1,2} ?help|what can (?:i|you) (?:ask|do|say|"
        r"answer|tell me)(?: you)?|"
        r"what (?:questions|kinds? of questions|sort of questions|things|topics)(?: \w+){0,4}? "
        r"(?:ask|understand|answer|know|handle)|"
        r"how (?:do i|does this|to|can i) (?:use|work|ask)(?: this| you| it)?|examples?(?: "
        r"please)?|show (?:me )?(?:some )?examples|"
        r"usage|commands|menu|options|what do you (?:know|do)|who are you|what are you|what is "
        r"this|"
        r"what can i (?:ask|type|say)(?: about)?(?: here)?|instructions|guide|how does this work|"
        r"what should i ask|"
        r"give me (?:some )?examples|tell me what you can do|what topics|what do you "
        r"cover)[\s?!.,]*$")

# Other myeloma trials (by name) and other products: questions about them are out of scope.
OTHER_TRIALS = (r"\bkarmma\w*|\bcartitude\w*|\bdreamm\w*|\bicaria\w*|\bcandor\b|\bpollux\b|"
                r"\bcastor\b|\bmaia\b|"
                r"\balcyone\b|\bapollo\b|\bikema\b|\btourmaline\w*|\baspire\b|\bendeavor\b|"
                r"\beloquent\w*|\boptimismm\b|"
                r"\bmagnetismm\w*|\bmajestec\w*|\bmonumental\w*|\bkeynote\w*|\bcassiopeia\b|"
                r"\bgriffin\b|\bperseus\b|"
                r"\bxpeditio\w*|\bbellini\b|\bcanova\b|\bstomp\b|\bbeacon\b|\bxport\w*|\bsienda\b|"
                r"\bsiendo\b|"
                r"\bboston (?:trial|study|data|results|phase)\b|\b(?:the|in|of) boston (?:trial|"
                r"study)\b")
OTHER_DRUGS = (r"\bcarfilzomib\b|\bbortezomib\b|\blenalidomide\b|\bpomalidomide\b|\bdaratumumab\b|"
               r"\bisatuximab\b|"
               r"\belotuzumab\b|\bixazomib\b|\bmelphalan\b|\bcyclophosphamide\b|\bbelantamab\b|"
               r"\bide-?cel\b|"
               r"\bidecabtagene\b|\bcilta-?cel\b|\bciltacabtagene\b|\bteclistamab\b|"
               r"\btalquetamab\b|\belranatamab\b|"
               r"\bvenetoclax\b|\bpanobinostat\b|\bkyprolis\b|\bvelcade\b|\brevlimid\b|"
               r"\bpomalyst\b|\bdarzalex\b|"
               r"\bblenrep\b|\babecma\b|\bcarvykti\b|\btecvayli\b|\bcar[- ]?t\b|\bbispecific\w*|"
               r"\bmelflufen\b|"
               r"\bthalidomide\b|\bimmunotherapy\b|\bchemotherapy\b|\bchemo\b|\bkeytruda\b|"
               r"\bpembrolizumab\b|"
               r"\bnivolumab\b|\baspirin\b|\bibuprofen\b|\bparacetamol\b|\btylenol\b|\bmetformin\b|"
               r"\bstatins?\b")
# Mentions of other drugs that are *about STORM* (prior exposure, refractoriness, eligibility).
OTHER_DRUG_OK = (r"refractory|refractoriness|exposure|exposed|\bprior\b|previous|eligib|required|"
                 r"penta|triple|"
                 r"\bclass\b|resistant|received|pre-?treated|\bhad\b|inclusion|criteria")
OTHER_DISEASES = (r"\blymphoma\w*|\bleuka?emia\w*|\bbreast cancer\b|\blung cancer\b|\bcovid\w*|"
                  r"\bcoronavirus\b|"
                  r"\bdiabetes\b|\bprostate\b|\bcolorectal\b|\bmelanoma\b|\bamyloidosis\b|"
                  r"\bwaldenstr\w*|\bsolid tumou?rs?\b")
ADVICE = (r"\bshould (?:i|my \w+|he|she|we|they|you|one|someone|a patient)\b|"
          r"\b(?:can|could|may|shall|must|do|does) (?:i|he|she|we|my \w+) (?:take|use|start|stop|"
          r"get|try|combine|switch|have|drink|eat|skip|double|increase|be)\b|"
          r"\b(?:my|our) (?:father|dad|daddy|mother|mum|mom|mummy|mommy|wife|husband|son|daughter|"
          r"brother|sister|friend|"
          r"partner|uncle|aunt|auntie|grandfather|grandmother|grandma|grandpa|granny|parents?|"
          r"doctor|oncologist|child|kids?|"
          r"family|patient|spouse|relative|cousin|neighbou?r|dose|treatment|myeloma|cancer|"
          r"platelets|levels|blood|symptoms?|"
          r"prescription|medication|meds)\b|"
          r"\bi (?:have|had|'ve got|am|was|got|'m)\b[^?.]{0,30}\b(?:myeloma|cancer|diagnosed|"
          r"relapsed|refractory|patient|sick|ill|taking|on selinexor)\b|"
          r"\bi'?m (?:on|taking|diagnosed|a patient)\b|\bam i\b|\b(?:help|for|suit|suitable for|"
          r"right for|safe for|benefit|work for|treat|cure) me\b|"
          r"\bwhat dose should\b|\bhow much should (?:i|he|she|we)\b|\bis it safe (?:for|to)\b|"
          r"\bwould (?:it|selinexor|this|xpovio) (?:help|work|be good|be safe)\b|\bprescri(?:be|"
          r"bed|ption)\b|"
          r"\b(?:should|can) (?:selinexor|xpovio|it) be (?:taken|used) (?:with|by|for) (?:my|me|a|"
          r"someone)\b|"
          r"\bmedical advice\b|\bdiagnose me\b|\bmy (?:own|case)\b|\bin my case\b|\brecommend "
          r"(?:me|for me|i)\b|\bwhere can i (?:get|buy)\b")
UNRELATED = (r"\bweather\b|\bforecast\b|\brain(?:ing|y)?\b|\bsunny\b|\bfootball\b|\bsoccer\b|"
             r"\bbasketball\b|\bbaseball\b|"
             r"\bcricket\b|\btennis\b|\bgolf\b|\bworld cup\b|\bolympic\w*|\bsuper ?bowl\b|\bnba\b|"
             r"\bnfl\b|\bpremier league\b|"
             r"\bwho won\b|\bscores? (?:last|of the|yesterday|tonight)\b|\bmatch (?:last|tonight|"
             r"yesterday)\b|"
             r"\bpython\b|\bjavascript\b|\bjava\b|\btypescript\b|\bc\+\+|\brust\b|\bsql\b|\bhtml\b|"
             r"\bcss\b|\bjson\b|\bregex\b|"
             r"\b(?:write|code|generate|make|create)(?: me)?(?: an?| some| the)? (?:code|script|"
             r"program|function|poem|essay|story|email|letter|song|app|website)\b|"
             r"\bcoding\b|\bprogramming\b|\bcompile\w*|\bdebug\w*|\bcapital of\b|\bjokes?\b|"
             r"\brecipes?\b|\bcook\w*|\bbake\b|"
             r"\bpancakes?\b|\bmovies?\b|\bfilms?\b|\bsongs?\b|\bmusic\b|\bstocks?\b|\bshare "
             r"price\b|\bshares\b|\bbitcoin\b|"
             r"\bcrypto\w*|\binvest(?:ing|ment|ments|ors?)?\b|\bwhat time is it\b|\bwhat'?s the "
             r"time\b|\bwhat day is\b|\bdate today\b|\btoday'?s date\b|"
             r"\btranslate\b|\bpresident\b|\bprime minister\b|\belection\b|\bcost\b|\bcosts\b|"
             r"\bprice\b|\bpricing\b|\bprices\b|"
             r"\binsurance\b|\bhow much does [^?]{0,30} cost\b|\bbuy\b|\bpurchase\b|\bholiday\b|"
             r"\bvacation\b|\bflights?\b|"
             r"\bhotel\w*|\brestaurant\w*|\bpizza\b|\bcats?\b|\bdogs?\b|\bhoroscope\b|\blottery\b|"
             r"\bmeaning of life\b|"
             r"\bsing\b|\bdance\b|\bchess\b|\bgames?\b|\bpoem\b|\blinux\b|\bwindows\b|\bexcel\b|"
             r"\bemail\b|"
             r"^\W*(?:what'?s|what is|calculate|compute)? ?\d+ ?[-+*/x^] ?\d+\W*$")
BOSTON_UPPER = r"\bBOSTON\b"

# Words that announce a follow-up ("and grade 3?", "what about OS?", "in responders?").
FOLLOWUP_START = (r"^(?:and|&|also|plus|what about|how about|what of|how 'bout|same (?:for|with|in|"
                  r"but|thing)|"
                  r"now|ok(?:ay)?,? (?:and|what about|now|how about)|then|but|only|just|instead|in|"
                  r"for|among|amongst|"
                  r"with|using|excluding|limited to|restricted to|so what about|and what about|and "
                  r"how about|"
                  r"what if|versus|vs\.?|or|within|by)\b")
FOLLOWUP_END = r"\b(?:instead|too|as well|then|only|again)\W*$"
PRONOUN_REF = r"\b(?:that|this|it|those|these|the same)\b"

# Short function words that never need typo correction and are never corrected *into*.
COMMON_WORDS = """
a about above across after again against all almost along already also although always am among an
and another any anyone anything are around as ask asked at away back be because been before being
below best better between both but by can cannot could did do does doing done down during each
either else enough even ever every everyone everything few find first for from further gave get
gets getting give given go going gone good got great had has have having he her here hers him his
how however i if in into is it its itself just keep kind know last least less let like likely
little long look lot made make many may me might more most much must my myself near need never new
next no nor not nothing now of off often on once one only or other others our out over own part
people per perhaps please put quite rather really right said same say says see seem seen shall she
should show since so some someone something sometimes still such sure take taken tell than thank
thanks that the their them themselves then there these they thing things think this those though
through thus to together too took toward under until up upon us use used using very want was way
we well were what whatever when where whether which while who whole whom whose why will with within
without would yes yet you your yours
code joke jokes dose does rate rates late date more mode node note vote tell fell sell shell cell
cells weather whether father mother brother sister wife husband son daughter family friend doctor
python script write sort list lists last test tests best rest west time times tome come came some
same name game fame here hear near dear year years week weeks month months day days hour hours
hello hi hey help thanks cheers okay ok sure great good nice cool fine
what's that's it's there's let's don't didn't doesn't isn't wasn't weren't aren't can't won't
patients patient people subjects participants group groups subgroup cohort study studies trial
trials data figure figures number numbers value values result results report reported reports
percent percentage proportion share fraction count counts total median mean average range
centre centres center centers genre
""".split()
