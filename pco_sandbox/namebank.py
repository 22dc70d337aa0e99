"""Word lists for the seeded generator (ASCII on purpose: the unicode cases are planted)."""

MALE_FIRST_NAMES = (
    "James", "John", "Robert", "Michael", "William", "David", "Richard", "Joseph", "Thomas",
    "Charles", "Christopher", "Daniel", "Matthew", "Anthony", "Mark", "Donald", "Steven",
    "Paul", "Andrew", "Joshua", "Kenneth", "Kevin", "Brian", "George", "Timothy", "Ronald",
    "Jason", "Edward", "Jeffrey", "Ryan", "Jacob", "Gary", "Nicholas", "Eric", "Jonathan",
    "Stephen", "Larry", "Justin", "Scott", "Brandon", "Benjamin", "Samuel", "Gregory",
    "Alexander", "Patrick", "Frank", "Raymond", "Jack", "Dennis", "Jerry", "Tyler", "Aaron",
    "Nathan", "Henry", "Peter", "Adam", "Zachary", "Caleb", "Isaiah", "Elijah", "Luke",
    "Noah", "Ethan", "Mason", "Logan", "Owen", "Carlos", "Luis", "Jamal", "Darnell", "Wei",
)
FEMALE_FIRST_NAMES = (
    "Mary", "Patricia", "Jennifer", "Linda", "Elizabeth", "Barbara", "Susan", "Jessica",
    "Sarah", "Karen", "Lisa", "Nancy", "Betty", "Margaret", "Sandra", "Ashley", "Kimberly",
    "Emily", "Donna", "Michelle", "Carol", "Amanda", "Dorothy", "Melissa", "Deborah",
    "Stephanie", "Rebecca", "Sharon", "Laura", "Cynthia", "Kathleen", "Amy", "Angela",
    "Shirley", "Anna", "Brenda", "Pamela", "Emma", "Nicole", "Helen", "Samantha", "Katherine",
    "Christine", "Debra", "Rachel", "Carolyn", "Janet", "Catherine", "Maria", "Heather",
    "Diane", "Ruth", "Julie", "Olivia", "Joyce", "Virginia", "Victoria", "Kelly", "Lauren",
    "Christina", "Joan", "Evelyn", "Judith", "Megan", "Hannah", "Abigail", "Grace", "Chloe",
    "Sofia", "Aaliyah", "Mei",
)
LAST_NAMES = (
    "Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis",
    "Rodriguez", "Martinez", "Hernandez", "Lopez", "Gonzalez", "Wilson", "Anderson", "Thomas",
    "Taylor", "Moore", "Jackson", "Martin", "Lee", "Perez", "Thompson", "White", "Harris",
    "Sanchez", "Clark", "Ramirez", "Lewis", "Robinson", "Walker", "Young", "Allen", "King",
    "Wright", "Scott", "Torres", "Nguyen", "Hill", "Flores", "Green", "Adams", "Nelson",
    "Baker", "Hall", "Rivera", "Campbell", "Mitchell", "Carter", "Roberts", "Gomez",
    "Phillips", "Evans", "Turner", "Diaz", "Parker", "Cruz", "Edwards", "Collins", "Reyes",
    "Stewart", "Morris", "Morales", "Murphy", "Cook", "Rogers", "Gutierrez", "Ortiz",
    "Morgan", "Cooper", "Peterson", "Bailey", "Reed", "Kelly", "Howard", "Ramos", "Kim",
    "Cox", "Ward", "Richardson", "Watson", "Brooks", "Chavez", "Wood", "James", "Bennett",
    "Gray", "Mendoza", "Ruiz", "Hughes", "Price", "Alvarez", "Castillo", "Sanders", "Patel",
    "Myers", "Long", "Ross", "Foster", "Jimenez", "O'Brien", "McDonald", "Van Buren",
)
MIDDLE_NAMES = ("Lee", "Ann", "Marie", "James", "Lynn", "Ray", "Grace", "Alan", "Rose", "Jo")
EMAIL_DOMAINS = ("example.com", "example.org", "example.net", "mail.example.com",
                 "church.example.org")
STREET_NAMES = ("Oak", "Maple", "Cedar", "Pine", "Elm", "Washington", "Lake", "Hill",
                "Church", "Park", "Main", "Sunset", "Willow", "River", "Meadow", "Highland")
STREET_KINDS = ("St", "Ave", "Rd", "Ln", "Dr", "Ct", "Way", "Blvd")
CITIES = (("Columbus", "OH", "432"), ("Dayton", "OH", "454"), ("Springfield", "IL", "627"),
          ("Franklin", "TN", "370"), ("Austin", "TX", "787"), ("Madison", "WI", "537"),
          ("Greenville", "SC", "296"), ("Fairview", "PA", "165"), ("Salem", "OR", "973"))
AREA_CODES = ("614", "937", "217", "615", "512", "608", "864", "814", "503")
MEMBERSHIPS = ("Member", "Member", "Regular Attender", "Visitor", "Participant", None)
GROUPS = (
    ("Young Adults", "Ages 18-30: dinner, study and friendship on Tuesday nights."),
    ("Men's Breakfast", "Saturday mornings, 7:30 in the fellowship hall."),
    ("Women's Bible Study", "Working through the Gospel of John together."),
    ("Worship Team", "Musicians and vocalists serving on Sunday mornings."),
    ("Youth Group", "Middle and high school students, Wednesday evenings."),
    ("Greeters", "The first smile people see on Sunday."),
    ("Prayer Team", "Praying for the requests shared each week."),
    ("Marriage Matters", "Couples encouraging couples."),
    ("Food Pantry Volunteers", "Stocking shelves and serving neighbours on Thursdays."),
    ("Grief Share", "Support for those who have lost someone."),
    ("Choir", "Rehearsals on Thursday evenings."),
    ("Alpha Course 2023", "An archived course group."),
)
