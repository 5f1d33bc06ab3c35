"""The demo campus's content: who is in it, the gigs they post, and the words they write.

Data only; seed.py puts it into a database through the services. Change the words here freely:
the seed takes whatever is here (each employer needs one plan per gig template).
"""

from dataclasses import dataclass

# --- the cast ---------------------------------------------------------------------

CAREER_CENTER = {
    "name": "Riverside State University Career Center",
    "website": "https://careers.riverside-state.example.edu",
    "description": "Career services for Riverside State University students and the employers who hire them.",
}
STAFF = {"local": "staff", "name": "Dana Whitfield", "title": "Employer Relations Coordinator"}

EMPLOYERS = (
    {
        "name": "Northwind Analytics",
        "website": "https://northwind-analytics.example.com",
        "description": "A 40-person analytics consultancy helping cities and nonprofits use their data.",
        "manager": "Priya Raman",
        "title": "Head of Data Services",
        "how": "You will meet Priya for a 30-minute kickoff and get a shared folder with everything you need. "
        "We answer questions in our shared chat within one working day.",
    },
    {
        "name": "Greenleaf Community Health",
        "website": "https://greenleaf-health.example.org",
        "description": "A nonprofit network of three community clinics and a mobile health van.",
        "manager": "Marcus Bell",
        "title": "Operations Director",
        "how": "Marcus will walk you through the background on a short video call. We check in once a week "
        "and never ask for work outside the agreed scope.",
    },
    {
        "name": "Brightside Outdoor Co.",
        "website": "https://brightside-outdoor.example.com",
        "description": "An independent outdoor-gear shop with a growing online store and a rental program.",
        "manager": "Elena Ortiz",
        "title": "Marketing Lead",
        "how": "Elena will share our brand guide and past examples on day one. Feedback comes in one "
        "round of written comments per version.",
    },
)

SKILLS: dict[str, tuple[str, ...]] = {
    "Marketing": ("Social media", "SEO", "Email marketing", "Content strategy"),
    "Research": ("Literature review", "Survey design", "User interviews", "Qualitative analysis"),
    "Data analysis": ("Excel", "SQL", "Python", "Data visualization"),
    "Software": ("JavaScript", "React", "HTML & CSS", "Software testing"),
    "Design": ("Figma", "Graphic design", "UX design", "Video editing"),
    "Writing": ("Copywriting", "Technical writing", "Editing", "Grant writing"),
    "Operations": ("Project management", "Process documentation", "Customer support", "Event planning"),
    "Finance": ("Financial modeling", "Bookkeeping", "Budgeting", "Pricing analysis"),
}

# Major -> the skill categories its students draw from.
MAJORS: dict[str, tuple[str, ...]] = {
    "Computer Science": ("Software", "Data analysis"),
    "Statistics": ("Data analysis", "Research"),
    "Marketing": ("Marketing", "Writing"),
    "Graphic Design": ("Design", "Marketing"),
    "English": ("Writing", "Research"),
    "Economics": ("Finance", "Data analysis"),
    "Public Health": ("Research", "Operations"),
    "Business Administration": ("Operations", "Finance"),
    "Psychology": ("Research", "Writing"),
    "Information Systems": ("Software", "Operations"),
}

STUDENT_NAMES = (
    "Maya Chen", "Jordan Williams", "Aisha Bello", "Diego Hernández", "Sofia Rossi",
    "Ethan Park", "Fatima Khan", "Liam O'Connor", "Grace Nguyen", "Samuel Adeyemi",
    "Hannah Müller", "Noah Johnson", "Zara Ahmed", "Lucas Silva", "Emily Davis",
    "Omar Haddad", "Chloe Martin", "Ravi Patel", "Isabella García", "Tyler Brooks",
)  # fmt: skip
SCHOOLS = ("Riverside State University",) * 4 + ("Lakeview Community College",)


# --- the gigs the employers post ----------------------------------------------------


@dataclass(frozen=True)
class GigTemplate:
    employer: int  # index into EMPLOYERS
    category: str
    title: str
    summary: str
    context: str
    tasks: tuple[str, ...]
    deliverables: tuple[str, ...]
    hours: int
    rate: int  # dollars per hour
    skills: tuple[str, ...]
    questions: tuple[str, ...] = ()
    location_mode: str = "remote"
    location: str = ""


NW, GL, BS = 0, 1, 2
DAYTON, BOULDER = "Dayton, OH", "Boulder, CO"
TEMPLATES = (
    # Marketing
    GigTemplate(BS, "Marketing", "Instagram content calendar for our spring launch",
        "Plan four weeks of posts that introduce our new lightweight hiking line.",
        "We launch a new line of lightweight hiking gear in April and want a steady, friendly presence on Instagram around it.",
        ("Review our brand guide and the last three months of posts", "Plan 20 posts across four weeks, with a mix of product, community and how-to content", "Write captions and suggest hashtags for each post"),
        ("A content calendar (spreadsheet or Notion) with 20 planned posts", "Captions and hashtag sets for every post"),
        15, 25, ("Social media", "Content strategy", "Copywriting"),
        ("Share an account or a post you have run or grown, and what you learned from it.",)),
    GigTemplate(BS, "Marketing", "SEO audit of our product pages",
        "Find out why our best products do not show up in search, and what to fix first.",
        "Our online store has about 120 product pages. Several of our best sellers barely appear in search results.",
        ("Audit titles, descriptions, headings and image text on our 30 top product pages", "Check page speed and mobile issues with free tools", "Rank the fixes by likely impact and effort"),
        ("An audit spreadsheet covering 30 product pages", "A two-page summary of the ten most important fixes"),
        12, 28, ("SEO", "Content strategy")),
    GigTemplate(BS, "Marketing", "Email welcome series for new customers",
        "Write a three-email welcome series that turns first-time buyers into regulars.",
        "New customers get a single receipt email from us today and most never come back.",
        ("Look at what our competitors send after a first purchase", "Draft three emails: welcome, gear-care tips, and a community invitation", "Suggest subject lines and send timing for each"),
        ("Three email drafts with two subject-line options each", "A one-page note on timing and what to measure"),
        10, 26, ("Email marketing", "Copywriting")),
    GigTemplate(NW, "Marketing", "Competitor messaging teardown",
        "Compare how five analytics firms describe themselves and where we can stand out.",
        "We are rewriting our website and want to understand how similar firms talk about their work to city governments.",
        ("Collect homepage and service-page messaging from five competitors we name", "Summarize each firm's promise, audience and proof points", "Recommend three messages that would set us apart"),
        ("A comparison table of five competitors", "A short memo with three recommended messages"),
        8, 25, ("Content strategy", "Qualitative analysis")),
    GigTemplate(GL, "Marketing", "Flu-shot clinic outreach campaign",
        "Help more neighbors find our free walk-in flu-shot clinics this autumn.",
        "Last year our free flu-shot clinics were half empty. Many neighbors told us afterwards they never heard about them.",
        ("Plan a four-week outreach campaign across social media, email and community boards", "Write the posts, one email and a printable flyer text", "Coordinate with two partner organizations to share the campaign"),
        ("A campaign plan with dates and channels", "All copy: posts, email and flyer text"),
        16, 24, ("Social media", "Email marketing", "Event planning"), (), "hybrid", DAYTON),
    # Research
    GigTemplate(GL, "Research", "Patient experience survey design",
        "Design a short, plain-language survey our patients will actually finish.",
        "We want to hear from patients about wait times, respect and language access, but our old survey is long and few finish it.",
        ("Review our old survey and two published patient-experience instruments", "Draft a survey of no more than 12 questions at a sixth-grade reading level", "Pilot it with five volunteers and revise"),
        ("The final survey in English, ready to translate", "A one-page pilot report with the changes you made"),
        14, 27, ("Survey design", "Qualitative analysis"),
        ("Describe a survey you designed or analyzed, and one thing you would do differently.",)),
    GigTemplate(GL, "Research", "Literature review: community health worker programs",
        "Summarize what the evidence says about community health worker programs in mid-sized cities.",
        "Our board is deciding whether to fund two community health worker positions and asked for the evidence.",
        ("Find 15 to 25 peer-reviewed studies and reports from the last ten years", "Summarize outcomes, costs and what made programs work", "Flag the gaps where evidence is thin"),
        ("An annotated bibliography", "A four-page summary written for a non-specialist board"),
        20, 25, ("Literature review", "Technical writing")),
    GigTemplate(NW, "Research", "User interviews for our dashboard redesign",
        "Interview six city staff who use our dashboards and tell us what gets in their way.",
        "City staff use our dashboards weekly, but support requests suggest some views confuse people.",
        ("Write an interview guide with us", "Run six 30-minute video interviews we schedule for you", "Synthesize the findings into themes with quotes"),
        ("Interview guide and notes", "A findings deck of about 10 slides"),
        18, 30, ("User interviews", "Qualitative analysis", "UX design"),
        ("Tell us about a time you had to ask someone questions without leading them.",)),
    GigTemplate(BS, "Research", "Customer segment research for our trail-running line",
        "Find out who buys our trail-running gear and what they wish we stocked.",
        "Trail running is our fastest-growing category, but we know little about who those customers are.",
        ("Analyze our anonymized customer survey (about 400 answers)", "Run a short follow-up poll with our newsletter", "Describe three or four customer segments"),
        ("A segment summary with charts", "Raw poll results and your analysis files"),
        12, 26, ("Survey design", "Data visualization")),
    GigTemplate(NW, "Research", "Benchmark study of open-data portals",
        "Compare ten city open-data portals and note what makes the good ones good.",
        "A client asked us which open-data portal features residents actually use.",
        ("Review ten city open-data portals against a checklist we provide", "Note standout features and common problems", "Summarize patterns in a short report"),
        ("A completed benchmark checklist for ten portals", "A three-page summary report"),
        10, 25, ("Literature review", "Data visualization")),
    # Data analysis
    GigTemplate(NW, "Data analysis", "Clean and analyze a year of support tickets",
        "Turn 8,000 messy support tickets into a clear picture of what our clients struggle with.",
        "We export about 8,000 support tickets a year. Categories are inconsistent and free-text fields are messy.",
        ("Clean and de-duplicate the ticket export", "Categorize tickets by topic (rules or simple text methods)", "Chart volumes and response times by topic and month"),
        ("A cleaned dataset and the script or notebook that produced it", "A short report with five to eight charts"),
        20, 32, ("Python", "SQL", "Data visualization"),
        ("Which tools would you use to clean messy text fields, and why?",)),
    GigTemplate(NW, "Data analysis", "Build a sales KPI dashboard in a spreadsheet",
        "Make a one-page spreadsheet dashboard our partners can read in two minutes.",
        "Our partners track sales in three separate spreadsheets and want one view of the numbers that matter.",
        ("Combine three spreadsheets into one tidy data tab", "Build a one-page dashboard with six agreed KPIs", "Document how to refresh it each month"),
        ("The dashboard workbook", "A half-page refresh guide"),
        12, 28, ("Excel", "Data visualization")),
    GigTemplate(GL, "Data analysis", "No-show analysis for clinic appointments",
        "Find which appointments are most often missed and what might help.",
        "About one in five appointments at our clinics is a no-show, which means longer waits for everyone else.",
        ("Analyze two years of de-identified appointment data", "Look at no-show rates by day, time, lead time and visit type", "Suggest two or three changes worth piloting"),
        ("An analysis workbook or notebook", "A two-page summary with charts for clinic managers"),
        16, 30, ("Excel", "SQL", "Data visualization"),
        ("How would you explain a correlation-versus-causation caveat to clinic managers?",)),
    GigTemplate(BS, "Data analysis", "Return-rate analysis by product category",
        "Find out which products come back most often, and why.",
        "Returns cost us more every season. We want to know where they come from before changing our policy.",
        ("Analyze 18 months of order and return data", "Break down return rates by category, size and price band", "Read a sample of return reasons and group them"),
        ("A return-rate workbook", "A one-page summary with recommendations"),
        10, 27, ("Excel", "Pricing analysis")),
    GigTemplate(NW, "Data analysis", "Python notebook: churn drivers in subscription data",
        "Explore which client behaviors predict a cancelled subscription.",
        "Our software subscriptions renew yearly, and we lose about 12% of clients each year.",
        ("Explore two years of anonymized usage and renewal data", "Build a simple, explainable model of churn risk", "Write up the strongest drivers in plain language"),
        ("A documented Jupyter notebook", "A two-page findings memo"),
        24, 35, ("Python", "Data visualization"),
        ("Link to a notebook or project where you analyzed real data.", "What would make you distrust a model's results?")),
    # Software
    GigTemplate(NW, "Software", "Accessibility fixes for our marketing site",
        "Find and fix the accessibility problems on our eight-page marketing site.",
        "Our marketing site is a small static site. An automated scan flagged contrast, labels and heading issues.",
        ("Audit the eight pages with axe and a keyboard-only walkthrough", "Fix the issues in HTML and CSS", "Open a pull request with notes on each fix"),
        ("A pull request with the fixes", "A short audit report listing each issue and its fix"),
        15, 35, ("HTML & CSS", "JavaScript", "Software testing")),
    GigTemplate(NW, "Software", "React component for a filterable data table",
        "Build a reusable, accessible table component with sorting and filters.",
        "Several of our client dashboards need the same sortable, filterable table, and we keep rebuilding it.",
        ("Build a React table component with sorting, text filter and pagination", "Make it keyboard accessible and screen-reader friendly", "Write tests and a short usage guide"),
        ("The component in a pull request with tests", "A usage guide in the README"),
        20, 38, ("React", "JavaScript"),
        ("Link to a React project you built or contributed to.",)),
    GigTemplate(GL, "Software", "Volunteer sign-up form with spreadsheet sync",
        "Replace our paper volunteer sign-up sheet with a simple web form.",
        "Volunteers sign up on paper at the front desk and someone types the sheets in weekly.",
        ("Build a small accessible web form for volunteer sign-ups", "Send each sign-up to a shared spreadsheet", "Write a one-page guide so our staff can change the form"),
        ("The working form and its source code", "A one-page staff guide"),
        12, 32, ("JavaScript", "HTML & CSS")),
    GigTemplate(NW, "Software", "Automated tests for our CSV import tool",
        "Add tests to a small Python tool so we can change it without fear.",
        "Our CSV import tool has grown to 1,500 lines of Python with almost no tests.",
        ("Read the tool and list its main behaviors", "Write pytest tests for the import, validation and error paths", "Set the tests up to run in our CI"),
        ("A pull request with the tests and CI setup", "A short note on the riskiest untested areas"),
        14, 34, ("Python", "Software testing")),
    GigTemplate(BS, "Software", "Store locator page from a CSV of shops",
        "Build a page that shows every shop stocking our gear on a map and in a list.",
        "Our gear is sold in about 60 partner shops and customers keep asking where to find it.",
        ("Build a store-locator page from a CSV we maintain", "Add a text search and a list view that works without the map", "Keep it fast on phones"),
        ("The page's source code and deployment notes", "A short guide to updating the CSV"),
        16, 33, ("JavaScript", "HTML & CSS", "React")),
    # Design
    GigTemplate(BS, "Design", "Product photo retouching and web crops",
        "Retouch and crop 60 product photos for our online store.",
        "We photographed our new line in the shop; the photos need consistent backgrounds and crops.",
        ("Retouch 60 photos to a consistent white background", "Export square and wide crops for the web", "Follow our naming scheme so they upload cleanly"),
        ("60 retouched photos in two crops each", "A contact sheet for review"),
        10, 25, ("Graphic design",), (), "onsite", BOULDER),
    GigTemplate(GL, "Design", "Redesign our patient intake flyer set",
        "Make our four intake flyers clear, friendly and easy to read.",
        "Our intake flyers are text-heavy and patients often miss the key steps.",
        ("Redesign four one-page flyers using our logo and colors", "Use plain language and large type", "Prepare print-ready and web versions"),
        ("Four print-ready PDFs", "Editable source files"),
        8, 26, ("Graphic design", "Editing")),
    GigTemplate(NW, "Design", "Figma prototype for a mobile report viewer",
        "Design a clickable prototype for reading our reports on a phone.",
        "Our reports are designed for desktop screens, but many city staff read them on their phones.",
        ("Review three sample reports and our design system", "Design the key mobile screens in Figma", "Build a clickable prototype and test it with two people"),
        ("A Figma file with the screens and prototype", "Notes from the two quick tests"),
        20, 32, ("Figma", "UX design"),
        ("Link to a design you are proud of and tell us what problem it solved.",)),
    GigTemplate(BS, "Design", "30-second product video for social",
        "Edit a short, upbeat video from footage we shot on a weekend trip.",
        "We filmed about two hours of footage of our gear in use and need a short video for social media.",
        ("Select the best moments from our footage", "Edit a 30-second video with music we license", "Export vertical and square versions"),
        ("The video in two formats", "The project file"),
        12, 28, ("Video editing", "Social media")),
    GigTemplate(GL, "Design", "Wayfinding icons for our new clinic",
        "Design a set of simple icons for signs in our new clinic.",
        "Our new clinic opens this spring and needs signs that work for patients who read little English.",
        ("Design 16 simple icons for rooms and services", "Test them with five patients or volunteers", "Prepare files for the sign maker"),
        ("16 icons in SVG and PDF", "A one-page test summary"),
        10, 27, ("Graphic design", "Figma"), (), "hybrid", DAYTON),
    # Writing
    GigTemplate(GL, "Writing", "Grant application narrative for a youth nutrition program",
        "Draft the narrative sections of a foundation grant for our youth nutrition program.",
        "We are applying to a regional foundation to expand our after-school nutrition classes.",
        ("Read the call for proposals and our program notes", "Draft the need statement, program description and evaluation plan", "Revise once after our feedback"),
        ("A complete narrative draft within the foundation's page limits",),
        15, 30, ("Grant writing", "Editing"),
        ("Have you written or edited a grant before? Tell us briefly.",)),
    GigTemplate(NW, "Writing", "Technical docs for our public API",
        "Write clear getting-started docs for our public data API.",
        "Clients use our API to pull their dashboard data, but our only docs are an auto-generated reference.",
        ("Try the API yourself with a test key", "Write a getting-started guide and three task-based tutorials", "Review the docs with one of our engineers"),
        ("A getting-started guide", "Three tutorials with working examples"),
        16, 32, ("Technical writing", "Editing")),
    GigTemplate(BS, "Writing", "Ten product descriptions for the fall catalog",
        "Write ten product descriptions that are accurate, warm and easy to scan.",
        "Our fall catalog has ten new products and our descriptions need to match our friendly voice.",
        ("Read the product specs and our voice guide", "Write ten descriptions of about 120 words each", "Write a one-line tagline for each product"),
        ("Ten descriptions and taglines in a shared document",),
        8, 25, ("Copywriting", "Editing")),
    GigTemplate(GL, "Writing", "Plain-language rewrite of discharge instructions",
        "Rewrite six discharge instruction sheets so every patient can follow them.",
        "Our discharge instructions are written by clinicians for clinicians, and patients call back confused.",
        ("Rewrite six instruction sheets at a sixth-grade reading level", "Keep every medical instruction accurate (a nurse will check)", "Suggest simple layouts for each"),
        ("Six rewritten instruction sheets", "A readability score for each, before and after"),
        12, 28, ("Editing", "Technical writing")),
    GigTemplate(BS, "Writing", "Blog series: a beginner's guide to trail running",
        "Write a four-part blog series for people starting trail running.",
        "Our blog gets most of its visitors from how-to posts, and beginners keep asking us the same questions.",
        ("Plan four posts with us", "Write each post (about 900 words) in our voice", "Suggest photos and internal links"),
        ("Four blog posts ready to publish",),
        10, 25, ("Copywriting", "Content strategy")),
    # Operations
    GigTemplate(GL, "Operations", "Document our front-desk check-in process",
        "Observe and write down how check-in really works, then make it simpler.",
        "Each of our three clinics checks patients in a little differently, which confuses staff who move between them.",
        ("Observe check-in at two clinics for two mornings", "Write a step-by-step guide with a simple flowchart", "Suggest three ways to make it consistent"),
        ("A check-in guide with a flowchart", "A one-page list of recommendations"),
        10, 24, ("Process documentation", "Customer support"), (), "onsite", DAYTON),
    GigTemplate(NW, "Operations", "Set up a project tracker for client onboarding",
        "Turn our onboarding checklist into a tracker the whole team uses.",
        "Onboarding a new client takes about 40 steps across four people, tracked today in email.",
        ("Map the current onboarding steps with the team", "Set up a tracker with templates in the tool we use", "Train the team in a short session"),
        ("A working tracker with templates", "A one-page guide and a recorded walkthrough"),
        12, 27, ("Project management", "Process documentation")),
    GigTemplate(BS, "Operations", "Plan a community trail clean-up day",
        "Plan a Saturday trail clean-up for about 80 volunteers.",
        "Every spring we host a trail clean-up with the parks department and want this year's to be our best.",
        ("Coordinate the date and route with the parks department", "Organize sign-ups, supplies and a safety briefing", "Run the day with our staff and write a short recap"),
        ("An event plan and run-of-show", "Volunteer sign-up list and a recap"),
        18, 24, ("Event planning", "Project management"), (), "hybrid", BOULDER),
    GigTemplate(GL, "Operations", "Volunteer scheduling overhaul",
        "Make our volunteer scheduling fair, clear and less work for staff.",
        "About 70 volunteers cover our clinics, and scheduling them takes a staff member a full day each month.",
        ("Interview three staff about the current process", "Design a simple shared schedule and swap process", "Move next month's schedule into it"),
        ("A working schedule template", "A one-page guide for volunteers"),
        14, 25, ("Project management", "Excel")),
    GigTemplate(BS, "Operations", "Customer support macros and FAQ refresh",
        "Rewrite our saved support replies and update the FAQ page.",
        "Our support replies were written years ago and our FAQ misses the questions customers ask most.",
        ("Review the last 200 support emails for common questions", "Rewrite 15 saved replies in our friendly voice", "Update the FAQ with the ten most common questions"),
        ("15 saved replies", "An updated FAQ page text"),
        8, 24, ("Customer support", "Copywriting")),
    # Finance
    GigTemplate(NW, "Finance", "Three-statement model for a new product line",
        "Build a simple financial model for launching a data-training product.",
        "We are thinking about offering data-skills training to city staff and need to see whether it pays for itself.",
        ("Gather assumptions with our partners", "Build a three-year model with income statement, balance sheet and cash flow", "Add scenarios for slow, expected and fast growth"),
        ("The model workbook", "A one-page summary of the results"),
        20, 35, ("Financial modeling", "Excel"),
        ("Describe a model you built and the assumption that mattered most.",)),
    GigTemplate(GL, "Finance", "Budget-versus-actual report for two grants",
        "Compare what we planned to spend on two grants with what we actually spent.",
        "Two of our grants end this quarter and the funders ask for budget-versus-actual reports.",
        ("Match expenses in our books to the two grant budgets", "Prepare budget-versus-actual tables", "Write short explanations of any variance over 10%"),
        ("Two budget-versus-actual reports", "A list of expenses that need a decision"),
        12, 28, ("Budgeting", "Excel", "Bookkeeping")),
    GigTemplate(BS, "Finance", "Pricing analysis for our rental program",
        "Work out fair, sustainable prices for our gear rentals.",
        "Our gear rental program is popular but we are not sure it covers its costs.",
        ("Estimate the full cost of each rental item", "Compare prices at five other rental shops", "Recommend a price list and a damage-deposit policy"),
        ("A pricing workbook", "A two-page recommendation"),
        14, 30, ("Pricing analysis", "Financial modeling")),
    GigTemplate(NW, "Finance", "Reconcile a quarter of vendor invoices",
        "Match three months of vendor invoices to payments and flag anything odd.",
        "Our bookkeeper left mid-quarter and three months of vendor invoices need reconciling.",
        ("Match invoices to payments in our accounting export", "Flag duplicates, missing invoices and mismatches", "Summarize what needs follow-up"),
        ("A reconciliation workbook", "A short follow-up list"),
        10, 26, ("Bookkeeping", "Excel")),
    GigTemplate(GL, "Finance", "Cost-per-visit analysis for the mobile clinic",
        "Work out what a visit to our mobile clinic van really costs.",
        "Our mobile clinic van reaches neighborhoods without a clinic, and funders ask what each visit costs.",
        ("Gather costs for staff, fuel, supplies and maintenance", "Calculate cost per visit by month and location", "Chart the results for our annual report"),
        ("A cost workbook", "Two charts and a paragraph for the annual report"),
        12, 29, ("Budgeting", "Data visualization")),
)  # fmt: skip

# --- how far each gig gets, and what people write along the way ---------------------

# What happens to each employer's gigs, oldest first. Totals: 8 completed, 5 with a
# submission awaiting review, 3 with changes requested, 3 filled and under way,
# 4 partly filled (still open), 9 open with applicants, 8 fresh (newest).
PLANS_BY_EMPLOYER = (
    ("completed", "completed", "completed", "review", "review", "changes", "active", "partial", "partial",
     "applicants", "applicants", "applicants", "fresh", "fresh"),
    ("completed", "completed", "completed", "review", "review", "changes", "active", "partial",
     "applicants", "applicants", "applicants", "fresh", "fresh"),
    ("completed", "completed", "review", "changes", "active", "partial",
     "applicants", "applicants", "applicants", "fresh", "fresh", "fresh", "fresh"),
)  # fmt: skip
PLAN_ORDER = ("completed", "review", "changes", "active", "partial", "applicants", "fresh")

NOTE_OPENINGS = (
    "I would love to take this on.",
    "This gig fits what I have been practicing this year.",
    "I am excited about this project and have the time for it.",
    "This is exactly the kind of work I want to do after graduating.",
)
NOTE_MIDDLES = (
    "In a recent class project I used {skill} to deliver something similar on a tight deadline.",
    "I have used {skill} in coursework and for a student organization, and I enjoy explaining my work clearly.",
    "Last summer I used {skill} at a part-time job, so I know how to work with real, messy inputs.",
    "I taught myself {skill} through small projects and would like to use it for a real client.",
)
NOTE_CLOSINGS = (
    "I can give this about {hours} hours a week and reply to messages within a day.",
    "I have around {hours} hours a week free and can start right after acceptance.",
    "With {hours} hours a week available I can meet the due date comfortably.",
)
ANSWERS = (
    "In my {major} coursework I did something close to this: I planned the work, checked it with the instructor, and revised it after feedback.",
    "I would start by asking what a good result looks like for you, then keep my notes and files tidy so anyone can pick them up.",
    "Yes — for a student club I worked on a small version of this, and the main lesson was to test early with real people.",
)
CHANGE_REQUESTS = (
    "Thanks, this is a strong start. Please add a short summary at the top and fix the two charts whose labels are cut off.",
    "Close! Please tighten the wording in the second section and add the sources you used.",
    "Looks good overall. Could you add the missing cases we discussed in the kickoff and re-export the files?",
)
DECLINE_FEEDBACK = (
    "We chose an applicant with more experience in this exact tool; please apply again.",
    "Strong note, but another applicant's samples matched our needs more closely.",
)
