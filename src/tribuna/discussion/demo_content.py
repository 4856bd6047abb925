"""Neutral sample statements and discussions for `tribuna demo`, written for Tribuna."""

BODIES = [
    ("Board of the Riverside Public Library", "riverside-library"),
    ("Tenants' Association of Linden Court", "linden-court-tenants"),
    ("Commission 1 of the Northfield Research Society", "northfield-commission-1"),
]

STATEMENTS = [
    {
        "slug": "library-opening-hours-2027",
        "body": "riverside-library",
        "title": "Extended opening hours from January 2027",
        "summary": "The library will open on Sunday afternoons and stay open until 21:00 on weekdays.",
        "text": """The Board of the Riverside Public Library has decided to extend the library's opening hours from 4 January 2027, after a year of visitor counts and two public consultations.

## What changes

From January the library will be open until 21:00 from Monday to Friday, and from 13:00 to 17:00 on Sundays. Saturday hours stay as they are. The reading room and the children's corner follow the same hours; the local history archive keeps its appointment system.

## Why we are doing this

Visitor counts show that the hour before closing is the busiest of the day, and many readers told us that they cannot reach the library before 19:00 on weekdays. Students asked for a quiet place to study on Sundays.

## How it is funded

The longer hours are funded by the municipal grant for 2027 and by moving two part-time positions from processing to the front desk. No fees will be introduced for borrowing or for using the reading room.

## What we ask of you

Tell us below which services matter most to you in the new evening and Sunday hours, so that we can plan staffing for them.
""",
    },
    {
        "slug": "linden-court-courtyard-renovation",
        "body": "linden-court-tenants",
        "title": "Position on the courtyard renovation plan",
        "summary": "The association supports the plan on three conditions about noise, trees and bicycle storage.",
        "text": """The Tenants' Association of Linden Court has studied the owner's plan to renovate the inner courtyard in spring 2027 and adopted the following position at its general meeting.

## Our position

We support the renovation. The courtyard's paving is uneven, the lighting fails every winter, and the playground equipment no longer meets current safety standards.

## Our conditions

First, noisy work takes place only between 08:00 and 18:00 on weekdays. Second, the two old lime trees stay, and their roots are protected during the work. Third, the bicycle storage is replaced before the old one is removed, so that no resident is left without a safe place for a bicycle.

## Next steps

The board will present these conditions to the owner on 15 December. We will report the answer here, and we invite every tenant to comment on the conditions before that date.
""",
    },
    {
        "slug": "northfield-open-data-policy",
        "body": "northfield-commission-1",
        "title": "Recommendation on open research data",
        "summary": "Commission 1 recommends that data behind the Society's publications be published openly by default.",
        "text": """Commission 1 of the Northfield Research Society recommends that the data behind every publication supported by the Society be made openly available, with documented exceptions.

## Recommendation

Data sets that support a publication should be deposited in a public repository under an open licence no later than the date of publication. Code needed to reproduce the main results should be published alongside the data.

## Exceptions

Personal data, data covered by third-party agreements, and data whose release could endanger protected sites or species are exempt. An exemption must be stated in the publication, with the reason and the conditions under which the data can be requested.

## Support for members

The Society will offer two training sessions a year on data management and will cover repository fees for members without institutional support.

## Consultation

This recommendation goes to the Society's assembly in March. Members and the public are invited to comment on it here until the end of February.
""",
    },
]

# (statement slug, key, parent key or None, name, text, status)
COMMENTS = [
    ("library-opening-hours-2027", "a", None, "Maren Holt",
     "Thank you for this. Sunday afternoons will make a real difference for families who work all week.", "approved"),
    ("library-opening-hours-2027", "b", "a", "Jonas Ek",
     "Agreed. Will the children's corner also have story time on Sundays?", "approved"),
    ("library-opening-hours-2027", "c", "b", "Library Board",
     "We plan a monthly story hour on Sundays from February; details follow in January.", "approved"),
    ("library-opening-hours-2027", "d", None, "Priya Raman",
     "Please keep the **quiet study room** open in the evenings; it is the only quiet place many students have.", "approved"),
    ("library-opening-hours-2027", "e", None, "Tomasz W.",
     "Will the return machine work outside opening hours, or only when the library is open?", "pending"),
    ("library-opening-hours-2027", "s1", None, "Best Deals 4U",
     "CHEAP pills online!!! Visit http://cheap-pills.example/buy now and http://cheap-pills.example/deal for 90% OFF!!!", "spam"),
    ("linden-court-courtyard-renovation", "a", None, "Ana Sousa",
     "The condition about the lime trees is the most important one for me. Could the association ask for an arborist's report?", "approved"),
    ("linden-court-courtyard-renovation", "b", "a", "Karl Brandt",
     "Seconded. An independent report would also help if there is a dispute later.", "approved"),
    ("linden-court-courtyard-renovation", "c", None, "Lea Novak",
     "I would add a fourth condition: residents with reduced mobility need a step-free route during the works.", "approved"),
    ("linden-court-courtyard-renovation", "d", None, "new tenant",
     "Is there a plan for where the bins will go during the renovation? [Photo of the current layout](https://example.org/courtyard)", "pending"),
    ("northfield-open-data-policy", "a", None, "Dr. Ines Caro",
     "A welcome recommendation. The exemption for protected sites is important: coordinates of nesting sites should never be public.", "approved"),
    ("northfield-open-data-policy", "b", "a", "Sam Okafor",
     "Could the Society publish a template for the exemption statement, so that exemptions are described consistently?", "approved"),
    ("northfield-open-data-policy", "c", None, "R. Lindqvist",
     "I disagree with the deadline. Depositing data *at* publication is hard for long-term studies; six months later would be realistic.", "approved"),
    ("northfield-open-data-policy", "s1", None, "crypto-winner",
     "Earn 5000$ a day with crypto signals, join now http://signals.example/join http://signals.example/vip", "spam"),
]
