"""What the demo initiative says: a cradle-to-career partnership in a mid-size city."""

INITIATIVE = {
    "slug": "riverton-cradle-to-career",
    "name": "Riverton Cradle to Career Partnership",
    "place": "Riverton (city of 184,000) and its four school districts",
    "issue_area": "Education, cradle to career",
    "description": (
        "Schools, early-learning providers, health services, employers, funders, faith groups "
        "and residents of Riverton working toward one goal: every child succeeds, from birth "
        "to a first career, whatever their neighbourhood, race or family income."
    ),
    "visibility": "public",
}

# (name, sector, size, website, profile)
ORGANISATIONS = [
    (
        "Riverton Public Schools",
        "education",
        "very_large",
        "https://schools.riverton.example",
        "The city's public school district: 41 schools, 27,000 students.",
    ),
    (
        "Riverton Community College",
        "education",
        "large",
        "https://rcc.riverton.example",
        "Two-year college with workforce and transfer programmes.",
    ),
    (
        "Eastbank State University",
        "education",
        "very_large",
        "https://esu.example",
        "Regional public university with a college of education.",
    ),
    (
        "Riverton Public Library",
        "education",
        "medium",
        "https://library.riverton.example",
        "Eleven branches; early literacy and homework help.",
    ),
    (
        "Little Steps Early Learning Network",
        "nonprofit",
        "medium",
        "https://littlesteps.example",
        "Coalition of 60 home-based and centre-based childcare providers.",
    ),
    (
        "Head Start of Riverton County",
        "nonprofit",
        "large",
        "https://headstart.riverton.example",
        "Head Start and Early Head Start for 900 children.",
    ),
    (
        "Northside Family Resource Center",
        "community_group",
        "small",
        "",
        "Family support and parenting classes in the Northside neighbourhood.",
    ),
    (
        "Boys & Girls Club of Riverton",
        "nonprofit",
        "medium",
        "https://bgc.riverton.example",
        "After-school and summer programmes at five sites.",
    ),
    ("Riverton Reads", "nonprofit", "small", "", "Volunteer reading tutors for grades K–3."),
    (
        "City of Riverton, Office of the Mayor",
        "government",
        "very_large",
        "https://riverton.example",
        "Municipal government; sponsor of the partnership.",
    ),
    (
        "Riverton County Health Department",
        "health",
        "large",
        "https://health.riverton.example",
        "Home visiting, immunisation and developmental screening.",
    ),
    (
        "Riverside Community Health Center",
        "health",
        "medium",
        "https://rchc.example",
        "Federally qualified health centre serving 22,000 patients.",
    ),
    (
        "United Way of Riverton County",
        "philanthropy",
        "medium",
        "https://uw.riverton.example",
        "Community funder and convenor.",
    ),
    (
        "Riverton Community Foundation",
        "philanthropy",
        "small",
        "https://rcf.example",
        "Place-based foundation; scholarship funds.",
    ),
    (
        "Meridian Manufacturing",
        "business",
        "large",
        "https://meridian.example",
        "Advanced manufacturer, 1,400 employees in Riverton.",
    ),
    (
        "Riverton Chamber of Commerce",
        "business",
        "small",
        "https://chamber.riverton.example",
        "Business association of 600 employers.",
    ),
    (
        "First Riverton Credit Union",
        "business",
        "medium",
        "https://frcu.example",
        "Member-owned credit union; financial coaching for families.",
    ),
    (
        "Greater Hope Baptist Church",
        "faith",
        "small",
        "",
        "Congregation running a tutoring programme and a parent circle.",
    ),
    (
        "St. Anne's Parish",
        "faith",
        "small",
        "",
        "Parish with a food pantry and a Spanish-language family ministry.",
    ),
    (
        "Southside Neighbors Association",
        "resident_association",
        "small",
        "",
        "Residents of the Southside neighbourhood.",
    ),
    (
        "Eastgate Tenants' Union",
        "resident_association",
        "small",
        "",
        "Tenants of the Eastgate housing estates.",
    ),
    (
        "Latino Family Alliance",
        "community_group",
        "small",
        "",
        "Advocacy and support for Latino families.",
    ),
    (
        "Riverton Workforce Board",
        "government",
        "medium",
        "https://workforce.riverton.example",
        "Public workforce development board.",
    ),
    (
        "YouthWorks Riverton",
        "nonprofit",
        "small",
        "",
        "Paid internships and mentoring for ages 16–24.",
    ),
    (
        "Riverton Housing Authority",
        "government",
        "medium",
        "https://rha.example",
        "Public housing for 4,100 households.",
    ),
]

PAUSED = {"Meridian Manufacturing"}
WITHDRAWN = {"First Riverton Credit Union"}

PROBLEM_V1 = (
    "<p>In Riverton, where a child grows up predicts how far they go. Fewer than half of the "
    "city's children arrive at kindergarten ready to learn, and in the Northside and Eastgate "
    "neighbourhoods it is one in three.</p>"
)
PROBLEM_V3 = PROBLEM_V1 + (
    "<p>Gaps by race and family income open before age five and widen through school: Black "
    "and Latino students graduate at rates 14 points below their white classmates, and only "
    "one in four low-income graduates earns a post-secondary credential within six years.</p>"
)
VISION_V1 = "<p>Every child in Riverton succeeds from cradle to career.</p>"
VISION_V3 = (
    "<p>Every child in Riverton succeeds from cradle to career — and a child's race, "
    "neighbourhood or family income no longer predicts how far they go.</p>"
)
ASPIRATIONS = (
    "<p>Parents told us, in 31 listening sessions: <em>safe places to learn and play, "
    "teachers who know my child, a good job in the city where I grew up.</em></p>"
)

# goal -> [(strategy, [(action, status)])]
GOALS = [
    (
        "Every child enters kindergarten ready to learn",
        "Kindergarten readiness, measured at school entry, rises for every group of children.",
        [
            (
                "Expand access to high-quality early learning",
                [
                    ("Open 300 new pre-K seats in Northside and Eastgate", "under_way"),
                    ("Coach home-based childcare providers in early literacy", "under_way"),
                ],
            ),
            (
                "Screen early and connect families to support",
                [
                    ("Offer developmental screening at every well-child visit", "done"),
                    ("Refer families from screening to home visiting within 30 days", "planned"),
                ],
            ),
        ],
    ),
    (
        "Every student reads at grade level by the end of third grade",
        "Third-grade reading proficiency rises and the gap between groups narrows.",
        [
            (
                "Reduce chronic absence in the early grades",
                [
                    ("Attendance mentors for K–3 students missing 10% of school days", "under_way"),
                    ("Text reminders and family outreach in three languages", "done"),
                ],
            ),
            (
                "Keep children reading through the summer",
                [
                    ("Summer reading programme at all library branches", "done"),
                    ("Book distribution through clinics and churches", "under_way"),
                ],
            ),
        ],
    ),
    (
        "Every young person graduates from high school ready for college and career",
        "On-time graduation rises and graduates leave with a plan.",
        [
            (
                "Catch students who fall off track in ninth grade",
                [
                    ("Ninth-grade on-track teams in every high school", "under_way"),
                ],
            ),
            (
                "Connect students to work experience",
                [
                    ("Paid summer internships with local employers", "under_way"),
                    ("Career pathway courses with college credit", "planned"),
                ],
            ),
        ],
    ),
    (
        "Every young adult earns a credential and a family-sustaining job",
        "Post-secondary completion and employment at a living wage by age 25.",
        [
            (
                "Support first-generation students to complete college",
                [
                    ("College coaching through the second year", "planned"),
                    ("Emergency grants for students at risk of stopping out", "under_way"),
                ],
            ),
            (
                "Align training with the region's growing jobs",
                [
                    ("Advanced manufacturing certificate with Meridian", "planned"),
                ],
            ),
        ],
    ),
]

COMMENTS = [
    (
        0,
        "Cam Resident",
        "<p>Many Eastgate families work night shifts: pre-K hours need to fit them.</p>",
    ),
    (
        1,
        "Cam Resident",
        "<p>The summer reading programme was wonderful — please add a branch in Southside.</p>",
    ),
    (
        2,
        "Jordan Reyes",
        "<p>Our students ask for internships close to home; transport is the barrier.</p>",
    ),
]

# Data and programme leads who sign for their organisations, one per partner, in order.
STEWARD_NAMES = [
    "Daniel Kim",
    "Marcus Webb",
    "Leila Haddad",
    "Priya Natarajan",
    "Grace Mensah",
    "Carlos Mendoza",
    "Denise Carter",
    "Kevin O'Brien",
    "Hannah Liu",
    "Robert Fields",
    "Aisha Mohammed",
    "Victor Alvarez",
    "Naomi Feldman",
    "Ethan Clarke",
    "Sofia Rossi",
    "Bernard Lewis",
    "Michelle Tran",
    "Rev. James Whitaker",
    "Lucia Ortiz",
    "Doris Jackson",
    "Malik Johnson",
    "Ana Gutierrez",
    "Peter Novak",
    "Keisha Williams",
    "Frank Morales",
]
