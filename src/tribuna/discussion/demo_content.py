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

# The library's statement is also published in French and Spanish, each with its own discussion.
# (slug of the original, language, slug, title, summary, text)
TRANSLATIONS = [
    (
        "library-opening-hours-2027",
        "fr",
        "bibliotheque-horaires-2027",
        "Horaires élargis à partir de janvier 2027",
        "La bibliothèque ouvrira le dimanche après-midi et restera ouverte jusqu'à 21 h en semaine.",
        """Le conseil de la bibliothèque publique de Riverside a décidé d'élargir les horaires d'ouverture à partir du 4 janvier 2027, après une année de comptages de visiteurs et deux consultations publiques.

## Ce qui change

À partir de janvier, la bibliothèque sera ouverte jusqu'à 21 h du lundi au vendredi, et de 13 h à 17 h le dimanche. Les horaires du samedi ne changent pas. La salle de lecture et le coin des enfants suivent les mêmes horaires ; les archives d'histoire locale restent sur rendez-vous.

## Pourquoi

Les comptages montrent que l'heure qui précède la fermeture est la plus fréquentée de la journée, et de nombreux lecteurs nous ont dit ne pas pouvoir venir avant 19 h en semaine. Des étudiants ont demandé un lieu calme pour travailler le dimanche.

## Le financement

Les horaires élargis sont financés par la subvention municipale de 2027 et par le transfert de deux postes à temps partiel du traitement des documents vers l'accueil. Aucun tarif ne sera introduit pour l'emprunt ni pour la salle de lecture.

## Ce que nous vous demandons

Dites-nous ci-dessous quels services comptent le plus pour vous le soir et le dimanche, afin que nous puissions prévoir le personnel.
""",
    ),
    (
        "library-opening-hours-2027",
        "es",
        "biblioteca-horario-2027",
        "Horario ampliado a partir de enero de 2027",
        "La biblioteca abrirá los domingos por la tarde y los días laborables hasta las 21:00.",
        """La Junta de la Biblioteca Pública de Riverside ha decidido ampliar el horario de apertura a partir del 4 de enero de 2027, tras un año de recuentos de visitantes y dos consultas públicas.

## Qué cambia

Desde enero, la biblioteca abrirá hasta las 21:00 de lunes a viernes, y de 13:00 a 17:00 los domingos. El horario del sábado no cambia. La sala de lectura y el rincón infantil siguen el mismo horario; el archivo de historia local mantiene su sistema de cita previa.

## Por qué lo hacemos

Los recuentos muestran que la hora anterior al cierre es la de más afluencia del día, y muchos lectores nos dijeron que no pueden llegar antes de las 19:00 entre semana. Los estudiantes pidieron un lugar tranquilo para estudiar los domingos.

## Cómo se financia

El horario ampliado se financia con la subvención municipal de 2027 y trasladando dos puestos a tiempo parcial del proceso técnico al mostrador. No se cobrará por el préstamo ni por el uso de la sala de lectura.

## Qué les pedimos

Cuéntennos abajo qué servicios les importan más en el nuevo horario de tarde y de domingo, para que podamos organizar el personal.
""",
    ),
]

# (statement slug, key, parent key or None, name, text, status, hours after the statement was published)
COMMENTS = [
    (
        "library-opening-hours-2027",
        "a",
        None,
        "Maren Holt",
        "Thank you for this. Sunday afternoons will make a real difference for families who work all week.",
        "approved",
        2,
    ),
    (
        "library-opening-hours-2027",
        "b",
        "a",
        "Jonas Ek",
        "Agreed. Will the children's corner also have story time on Sundays?",
        "approved",
        5,
    ),
    (
        "library-opening-hours-2027",
        "c",
        "b",
        "Library Board",
        "We plan a monthly story hour on Sundays from February; details follow in January.",
        "approved",
        20,
    ),
    (
        "library-opening-hours-2027",
        "d",
        None,
        "Priya Raman",
        "Please keep the **quiet study room** open in the evenings; it is the only quiet place many students have.",
        "approved",
        9,
    ),
    (
        "library-opening-hours-2027",
        "f",
        "d",
        "Henrik Salo",
        "Same here. During exams the tables upstairs are full by 17:00, so the extra evening hours matter most there.",
        "approved",
        13,
    ),
    (
        "library-opening-hours-2027",
        "g",
        "f",
        "Priya Raman",
        "Maybe the Board could count the study room separately in next year's visitor figures? That would show it.",
        "approved",
        15,
    ),
    (
        "library-opening-hours-2027",
        "h",
        None,
        "Walter Brooks",
        "I am glad about Sundays, but I worry about the move of two positions away from processing. "
        "Will new books take longer to reach the shelves?",
        "approved",
        26,
    ),
    (
        "library-opening-hours-2027",
        "i",
        "h",
        "Library Board",
        "A fair question. Processing times are published every quarter in the annual report "
        "([section 4](https://example.org/annual-report#processing)); we will report on them again in April.",
        "approved",
        30,
    ),
    (
        "library-opening-hours-2027",
        "j",
        None,
        "Ayşe Demir",
        "Could the self-service kiosk for printing stay on during the new hours too? Last time it closed at 18:00.",
        "approved",
        50,
    ),
    (
        "library-opening-hours-2027",
        "e",
        None,
        "Tomasz W.",
        "Will the return machine work outside opening hours, or only when the library is open?",
        "pending",
        70,
    ),
    (
        "library-opening-hours-2027",
        "s1",
        None,
        "Best Deals 4U",
        "CHEAP pills online!!! Visit http://cheap-pills.example/buy now and http://cheap-pills.example/deal for 90% OFF!!!",
        "spam",
        40,
    ),
    (
        "bibliotheque-horaires-2027",
        "a",
        None,
        "Claire Dubois",
        "Merci ! L'ouverture le dimanche aidera beaucoup les parents qui travaillent toute la semaine.",
        "approved",
        4,
    ),
    (
        "bibliotheque-horaires-2027",
        "b",
        "a",
        "Youssef Benali",
        "Tout à fait. Est-ce que le prêt de jeux de société sera aussi possible le dimanche ?",
        "approved",
        9,
    ),
    (
        "biblioteca-horario-2027",
        "a",
        None,
        "Lucía Martín",
        "¿La sala de estudio silenciosa también abrirá hasta las 21:00? Sería una gran ayuda en época de exámenes.",
        "approved",
        6,
    ),
    (
        "linden-court-courtyard-renovation",
        "a",
        None,
        "Ana Sousa",
        "The condition about the lime trees is the most important one for me. "
        "Could the association ask for an arborist's report?",
        "approved",
        3,
    ),
    (
        "linden-court-courtyard-renovation",
        "b",
        "a",
        "Karl Brandt",
        "Seconded. An independent report would also help if there is a dispute later.",
        "approved",
        6,
    ),
    (
        "linden-court-courtyard-renovation",
        "e",
        "b",
        "Ana Sousa",
        "Good point about disputes. I can ask the arborist who surveyed the park last year whether she would do it.",
        "approved",
        8,
    ),
    (
        "linden-court-courtyard-renovation",
        "c",
        None,
        "Lea Novak",
        "I would add a fourth condition: residents with reduced mobility need a step-free route during the works.",
        "approved",
        11,
    ),
    (
        "linden-court-courtyard-renovation",
        "f",
        "c",
        "Mehmet Kaya",
        "Yes. My father uses a walker and the temporary path last time had two steps. Please put this in writing.",
        "approved",
        14,
    ),
    (
        "linden-court-courtyard-renovation",
        "g",
        None,
        "Karl Brandt",
        'On noise: does "weekdays 8 to 18" include the delivery of materials, or only the works themselves?',
        "approved",
        35,
    ),
    (
        "linden-court-courtyard-renovation",
        "d",
        None,
        "new tenant",
        "Is there a plan for where the bins will go during the renovation? "
        "[Photo of the current layout](https://example.org/courtyard)",
        "pending",
        60,
    ),
    (
        "northfield-open-data-policy",
        "a",
        None,
        "Dr. Ines Caro",
        "A welcome recommendation. The exemption for protected sites is important: "
        "coordinates of nesting sites should never be public.",
        "approved",
        4,
    ),
    (
        "northfield-open-data-policy",
        "b",
        "a",
        "Sam Okafor",
        "Could the Society publish a template for the exemption statement, so that exemptions are described consistently?",
        "approved",
        7,
    ),
    (
        "northfield-open-data-policy",
        "d",
        "b",
        "Dr. Ines Caro",
        "A template would help. The Commission could start from the wording the regional atlas project uses.",
        "approved",
        10,
    ),
    (
        "northfield-open-data-policy",
        "c",
        None,
        "R. Lindqvist",
        "I disagree with the deadline. Depositing data *at* publication is hard for long-term studies; "
        "six months later would be realistic.",
        "approved",
        18,
    ),
    (
        "northfield-open-data-policy",
        "e",
        "c",
        "Hana Sato",
        "I see the difficulty, but a six-month delay means the data are gone by the time anyone wants to check a result. "
        "Perhaps an exception on request, as for protected sites?",
        "approved",
        22,
    ),
    (
        "northfield-open-data-policy",
        "f",
        "e",
        "R. Lindqvist",
        "An exception on request would work for me, if the request is decided within a month.",
        "approved",
        27,
    ),
    (
        "northfield-open-data-policy",
        "s1",
        None,
        "crypto-winner",
        "Earn 5000$ a day with crypto signals, join now http://signals.example/join http://signals.example/vip",
        "spam",
        33,
    ),
]
