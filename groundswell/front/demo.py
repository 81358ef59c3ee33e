"""The demo's content: the organizations and petitions of the seed pages, in their own words.

`python manage.py load_demo` loads it. Texts are the seed pages' (scraping duplicates
removed); Spanish versions are translations of them. Only the coalition "Expand Sanctuary
Coalition" is a demo label, for the coalition the seed petition names without a name.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# --- Organizations -------------------------------------------------------------------------


@dataclass(frozen=True)
class DemoOrganization:
    slug: str
    name: str
    initials: str  # drawn on the generated logo
    organizer: str  # first name of its demo organizer: <organizer>@<slug>.example
    description: str = ""
    is_coalition: bool = False
    members: tuple[str, ...] = ()  # slugs, for a coalition


EXPAND_SANCTUARY_MEMBER = (
    "Member of the coalition of local organizations, along with Mijente, supporting the "
    "demands to amend the Welcoming City Ordinance and to change the Fraternal Order of "
    "Police (FOP) contract."
)

# The 17 local organizations seed 001 names, in its order; Organized Communities Against
# Deportations (first) owns the petition, the others and Mijente co-sponsor it.
EXPAND_SANCTUARY_ORGANIZATIONS: tuple[tuple[str, str, str, str], ...] = (
    # slug, name, logo initials, organizer's first name
    ("ocad", "Organized Communities Against Deportations", "OCAD", "rosa"),
    ("byp100", "Black Youth Project 100", "BYP", "keisha"),
    ("arab-american-action-network", "Arab American Action Network", "AAAN", "nadia"),
    ("advancing-justice-chicago", "Asian Americans Advancing Justice - Chicago", "AAJC", "grace"),
    ("brighton-park-neighborhood-council", "Brighton Park Neighborhood Council", "BPNC", "luis"),
    (
        "centro-de-trabajadores-unidos",
        "Centro de Trabajadores Unidos - Immigrant Worker Project",
        "CTU",
        "carmen",
    ),
    (
        "chicago-community-and-workers-rights",
        "Chicago Community and Worker\u2019s Rights",
        "CCWR",
        "miguel",
    ),
    ("crln", "Chicago Religious Leadership Network on Latin America", "CRLN", "ruth"),
    ("community-activism-law-alliance", "Community Activism Law Alliance", "CALA", "daniel"),
    ("enlace-chicago", "ENLACE Chicago", "EN", "veronica"),
    ("hana-center", "Hana Center", "HC", "jiwoo"),
    ("icirr", "Illinois Coalition for Immigrant and Refugee Rights", "ICIRR", "fatima"),
    ("latino-policy-forum", "Latino Policy Forum", "LPF", "sofia"),
    ("latino-union", "Latino Union of Chicago", "LU", "jose"),
    ("mujeres-latinas-en-accion", "Mujeres Latinas en Acción", "MLA", "elena"),
    ("paso", "PASO- West Suburban Action Project", "PASO", "ana"),
    ("swop", "Southwest Organizing Project", "SWOP", "omar"),
)

ORGANIZATIONS: tuple[DemoOrganization, ...] = (
    DemoOrganization(
        slug="action-now",
        name="Action Now",
        initials="AN",
        organizer="maria",
        description=(
            "We believe that direct democratic control of government and law enforcement "
            "helps ensure that communities that are most harmed by destructive policies have "
            "the power to control budgets, determine policing policies, and self-determine "
            "their own priorities.\n\n"
            "Action Now members are active on the issue of violence prevention in their "
            "neighborhoods. Our civic engagement and community control campaigns include "
            "Police Contract Accountability and #BlackRootsResistance."
        ),
    ),
    DemoOrganization(
        slug="chicago-alliance",
        name="Chicago Alliance Against Racist and Political Repression",
        initials="CAARPR",
        organizer="frank",
        description=(
            "The Chicago Alliance Against Racist and Political Repression may be active in any "
            "case that involves racist or political repression. These are generational issues "
            "that often overlap and intersect. The Alliance focuses our efforts into a number "
            "of long-term campaigns, with clear and actionable goals.\n\n"
            "An injustice to one threatens injustice to all!"
        ),
    ),
    *(
        DemoOrganization(
            slug=slug,
            name=name,
            initials=initials,
            organizer=organizer,
            description=(
                "Organized Communities Against Deportations started the petition “Tell Mayor "
                "Rahm Emanuel to Defy Trump, Defend Chicago, and Expand Sanctuary”, supported "
                "by a coalition of local organizations along with Mijente."
                if slug == "ocad"
                else EXPAND_SANCTUARY_MEMBER
            ),
        )
        for slug, name, initials, organizer in EXPAND_SANCTUARY_ORGANIZATIONS
    ),
    DemoOrganization(
        slug="mijente",
        name="Mijente",
        initials="MJ",
        organizer="marisol",
        description=(
            "Along with the coalition of local Chicago organizations, supports the demands to "
            "amend the Welcoming City Ordinance and to change the Fraternal Order of Police "
            "(FOP) contract."
        ),
    ),
    DemoOrganization(
        slug="expand-sanctuary-coalition",
        name="Expand Sanctuary Coalition",
        initials="ES",
        organizer="lupe",
        is_coalition=True,
        members=(*(row[0] for row in EXPAND_SANCTUARY_ORGANIZATIONS), "mijente"),
        description=(
            "A coalition of local organizations, along with Mijente, behind two demands to the "
            "City of Chicago: amend the Welcoming City Ordinance so that it protects all "
            "immigrants, and move the recommendations to change the Fraternal Order of Police "
            "(FOP) contract."
        ),
    ),
    DemoOrganization(
        slug="ecps-coalition",
        name="Empowering Communities for Public Safety (ECPS) Coalition",
        initials="ECPS",
        organizer="jamal",
        is_coalition=True,
        members=("chicago-alliance",),
        description=(
            "The coalitions behind the Civilian Police Accountability Council (CPAC) and "
            "Grassroots Alliance for Police Accountability (GAPA) ordinances have united and "
            "created an ordinance to transform policing in Chicago. The two coalitions "
            "represent more than 100 organizations and tens of thousands of people."
        ),
    ),
)

ADMIN_EMAIL = "admin@groundswell.example"


# --- Petitions -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Surge:
    """Extra signatures around a day of the campaign (days after publishing)."""

    day: float
    height: float  # times the everyday rate
    width: float  # days


@dataclass(frozen=True)
class DemoUpdate:
    title: str
    body: str
    title_es: str
    body_es: str
    day: int  # days after publishing


@dataclass(frozen=True)
class DemoPetition:
    slug: str
    owner: str
    sponsors: tuple[str, ...]
    targets: tuple[dict[str, str], ...]
    title: str
    ask: str
    why: str
    title_es: str
    ask_es: str
    why_es: str
    days_open: int  # published this many days ago
    verified: int
    pending: int
    signers_from: int  # offset into the shared pool of demo signers (overlaps = both signed)
    sources: tuple[tuple[str, int], ...]  # source, weight
    surges: tuple[Surge, ...]
    updates: tuple[DemoUpdate, ...] = field(default=())


REJECT_FOP_TIES = DemoPetition(
    slug="reject-police-union-white-supremacist-ties",
    owner="action-now",
    sponsors=("chicago-alliance",),
    targets=({"name": "Lori Lightfoot", "title": "Mayor", "office": "City of Chicago"},),
    title="Reject the Chicago police union's white supremacist ties",
    ask=(
        "The FOP is attempting to negotiate a new contract with the city of Chicago. Please "
        "join us in calling on Lori Lightfoot, Chicago's newly elected mayor, to not negotiate "
        "any new contract with the Fraternal Order of Police until they have publicly "
        'denounced the Proud Boys and the other "alt-white" groups benefiting from the FOP\'s '
        "anti-reform stance. And any new contract must include key reforms that make police "
        "officers more accountable to the public when they abuse their power."
    ),
    why=(
        "Last month, the same lawless white nationalist and white supremacist groups that "
        "stoked violence in Charlottesville attended rallies organized by Chicago's Fraternal "
        "Order of Police (FOP).\n\n"
        "Chicago's police union has found common cause with racist groups including the Proud "
        "Boys, American Identity Movement, and the American Guard. They are all stoking anger "
        "and division by using District Attorney Kim Foxx's handling of the Jussie Smollett "
        "case.\n\n"
        "For the Fraternal Order of Police, it's an opportunity to attack one of their most "
        "strident critics and weaken her agenda of criminal justice reform. For the white "
        "supremacist groups, the FOP's rallies and over-the-top rhetoric provided the perfect "
        "backdrop for them to win new recruits over to their twisted, hateful ideology.\n\n"
        "The FOP protest offered sanctuary to extremist organizations, allowing members to "
        "emerge from the shadows of the Internet and establish the legitimacy and public "
        "visibility required to grow their ranks of domestic terrorists. By welcoming white "
        "nationalist leaders into their assembled fold, the police union signaled its tacit "
        "approval of their dangerous agenda of hatred and violence.\n\n"
        "But despite widespread reporting on extremist groups' participation in the recent "
        "police union rally, FOP head Kevin Graham has refused to publicly denounce the "
        "organizations and the viewpoints they espouse.\n\n"
        "So long as the FOP refuses to denounce the white nationalist groups they gave aid and "
        "comfort to, the City of Chicago must not deal with them like a legitimate "
        "organization."
    ),
    title_es="Rechacen los vínculos del sindicato de la policía de Chicago con supremacistas "
    "blancos",
    ask_es=(
        "La FOP intenta negociar un nuevo contrato con la ciudad de Chicago. Únase a nosotros "
        "para pedirle a Lori Lightfoot, la recién electa alcaldesa de Chicago, que no negocie "
        "ningún contrato nuevo con la Orden Fraternal de la Policía hasta que esta haya "
        'denunciado públicamente a los Proud Boys y a los demás grupos "alt-white" que se '
        "benefician de la postura de la FOP contra las reformas. Y todo contrato nuevo debe "
        "incluir reformas clave que obliguen a los agentes de policía a rendir más cuentas al "
        "público cuando abusan de su poder."
    ),
    why_es=(
        "El mes pasado, los mismos grupos nacionalistas blancos y supremacistas blancos, "
        "ajenos a la ley, que atizaron la violencia en Charlottesville asistieron a "
        "manifestaciones organizadas por la Orden Fraternal de la Policía (FOP) de Chicago.\n\n"
        "El sindicato de la policía de Chicago ha hecho causa común con grupos racistas como "
        "los Proud Boys, American Identity Movement y American Guard. Todos ellos avivan la "
        "ira y la división valiéndose de cómo la fiscal Kim Foxx manejó el caso de Jussie "
        "Smollett.\n\n"
        "Para la Orden Fraternal de la Policía, es una oportunidad de atacar a una de sus "
        "críticas más firmes y de debilitar su agenda de reforma de la justicia penal. Para los "
        "grupos supremacistas blancos, las manifestaciones de la FOP y su retórica desmedida "
        "fueron el telón de fondo perfecto para ganar nuevos reclutas para su ideología "
        "retorcida y llena de odio.\n\n"
        "La protesta de la FOP dio refugio a organizaciones extremistas y permitió que sus "
        "miembros salieran de las sombras de internet y obtuvieran la legitimidad y la "
        "visibilidad pública que necesitan para engrosar sus filas de terroristas domésticos. "
        "Al acoger a líderes nacionalistas blancos entre los suyos, el sindicato policial "
        "mostró su aprobación tácita de su peligrosa agenda de odio y violencia.\n\n"
        "Pero a pesar de la amplia cobertura sobre la participación de grupos extremistas en la "
        "reciente manifestación del sindicato policial, el jefe de la FOP, Kevin Graham, se ha "
        "negado a denunciar públicamente a esas organizaciones y las ideas que defienden.\n\n"
        "Mientras la FOP se niegue a denunciar a los grupos nacionalistas blancos a los que dio "
        "ayuda y consuelo, la Ciudad de Chicago no debe tratarla como una organización "
        "legítima."
    ),
    days_open=36,
    verified=430,
    pending=25,
    signers_from=1200,
    sources=(
        ("", 35),
        ("facebook", 25),
        ("twitter", 15),
        ("email", 15),
        ("action-now-newsletter", 10),
    ),
    surges=(Surge(day=0.5, height=6, width=1.5), Surge(day=11, height=9, width=1.2)),
)

_COALITION_NAMES = (
    "Organized Communities Against Deportations, Black Youth Project 100, Arab American "
    "Action Network, Asian Americans Advancing Justice - Chicago, Brighton Park Neighborhood "
    "Council, Centro de Trabajadores Unidos - Immigrant Worker Project, Chicago Community and "
    "Worker\u2019s Rights, Chicago Religious Leadership Network on Latin America, Community "
    "Activism Law Alliance, ENLACE Chicago, Hana Center, Illinois Coalition for Immigrant and "
    "Refugee Rights, Latino Policy Forum, Latino Union of Chicago, Mujeres Latinas en Acción, "
    "PASO- West Suburban Action Project, and the Southwest Organizing Project"
)

DEFEND_CHICAGO = DemoPetition(
    slug="defy-trump-defend-chicago-expand-sanctuary",
    owner="ocad",
    sponsors=(*(row[0] for row in EXPAND_SANCTUARY_ORGANIZATIONS[1:]), "mijente"),
    targets=({"name": "Rahm Emanuel", "title": "Mayor", "office": "City of Chicago"},),
    title="Tell Mayor Rahm Emanuel to Defy Trump, Defend Chicago, and Expand Sanctuary",
    ask=(
        "Tell our mayor and city council to stand up to Trump and take action that doesn't "
        "just symbolically defend immigrants but transforms our city's policies to stop "
        "targeting us for imprisonment, risk of deportation, and state violence at the hands "
        "of police and aggressive immigration agents.\n\n"
        "Specifically, we are asking the City of Chicago to:\n\n"
        "1. Pass the amendments proposed to the Welcoming City Ordinance, increasing the "
        "protections that immigrants have in the city of Chicago, so that there are no "
        "exceptions and the ordinance protects all immigrants, increased protections for "
        "survivors of trafficking and domestic violence, and prohibit the Chicago police from "
        "ever becoming immigration enforcement agents.\n"
        "2. Pass a resolution supporting a series of recommendations to reduce the violence "
        "and use of force in the Chicago Police Department by amending the contract with the "
        "Fraternal Order of Police. The resolution follows the recommendations made by the "
        "Department of Justice which found that the CPD “engaged in a pattern or practice of "
        "unreasonable force \u2013 including deadly force \u2013 in violation of the Fourth "
        "Amendment of the Constitution.”\n\n"
        "Both resolutions have been introduced to the Chicago City Council and are waiting for "
        "a vote, and need the support of the Mayor."
    ),
    why=(
        "Chicago has a history of over-policing and criminalization, which has led to Chicago "
        "residents being killed, incarcerated, and put in deportation proceedings regardless "
        "of the police-ICE collaboration. And, under unprecedented attacks against our "
        "communities from the federal government, the City of Chicago must also change. In "
        "order to keep communities safe, the City of Chicago must protections and "
        "relationships with people of color. It is a reality that in our city Black "
        "immigrants are disproportionately affected by criminalization and also needs "
        "immigration protections that do not exclude people with criminal records. In order "
        "to effectively respond to these threats, Cities must both provide undocumented and "
        "other non-citizen residents effective protections and safeguards from immigration "
        "enforcement, while also reducing the over-policing and criminalization of immigrant "
        "communities, Black people, and other people of color, that leads to mass "
        "incarceration and deportation.\n\n"
        "The two demands, to move the recommendations to change the Fraternal Order of Police "
        "(FOP) contract and amend the Welcoming City Ordinance is being supported by a "
        f"coalition of local organizations, including {_COALITION_NAMES}, along with Mijente."
    ),
    title_es="Dígale al alcalde Rahm Emanuel que desafíe a Trump, defienda Chicago y amplíe "
    "el santuario",
    ask_es=(
        "Dígales a nuestro alcalde y al concejo municipal que se enfrenten a Trump y tomen "
        "medidas que no solo defiendan simbólicamente a los inmigrantes, sino que transformen "
        "las políticas de nuestra ciudad para que dejen de señalarnos para el encarcelamiento, "
        "el riesgo de deportación y la violencia del Estado a manos de la policía y de agentes "
        "de inmigración agresivos.\n\n"
        "En concreto, le pedimos a la Ciudad de Chicago que:\n\n"
        "1. Apruebe las enmiendas propuestas a la Ordenanza de Ciudad Acogedora (Welcoming City "
        "Ordinance), que aumentan las protecciones de los inmigrantes en la ciudad de Chicago, "
        "para que no haya excepciones y la ordenanza proteja a todos los inmigrantes, con más "
        "protecciones para sobrevivientes de trata y de violencia doméstica, y que prohíba que "
        "la policía de Chicago llegue a actuar jamás como agente de control migratorio.\n"
        "2. Apruebe una resolución que respalde una serie de recomendaciones para reducir la "
        "violencia y el uso de la fuerza en el Departamento de Policía de Chicago mediante la "
        "modificación del contrato con la Orden Fraternal de la Policía. La resolución sigue "
        "las recomendaciones del Departamento de Justicia, que concluyó que el CPD “incurrió en "
        "un patrón o práctica de uso irrazonable de la fuerza \u2013incluida la fuerza "
        "letal\u2013 en violación de la Cuarta Enmienda de la Constitución”.\n\n"
        "Ambas resoluciones se han presentado ante el Concejo Municipal de Chicago, esperan una "
        "votación y necesitan el apoyo del alcalde."
    ),
    why_es=(
        "Chicago tiene un historial de exceso de vigilancia policial y de criminalización que "
        "ha llevado a que residentes de Chicago sean asesinados, encarcelados y sometidos a "
        "procesos de deportación, más allá de la colaboración entre la policía e ICE. Y, ante "
        "ataques sin precedentes del gobierno federal contra nuestras comunidades, la Ciudad de "
        "Chicago también debe cambiar. Para mantener seguras a las comunidades, la Ciudad de "
        "Chicago debe construir protecciones y relaciones con las personas de color. Es una "
        "realidad que en nuestra ciudad los inmigrantes negros se ven afectados de manera "
        "desproporcionada por la criminalización y también necesitan protecciones migratorias "
        "que no excluyan a las personas con antecedentes penales. Para responder eficazmente a "
        "estas amenazas, las ciudades deben ofrecer a los residentes indocumentados y a otros "
        "residentes no ciudadanos protecciones y salvaguardas eficaces frente al control "
        "migratorio y, a la vez, reducir el exceso de vigilancia policial y la criminalización "
        "de las comunidades inmigrantes, de las personas negras y de otras personas de color, "
        "que conducen al encarcelamiento masivo y a la deportación.\n\n"
        "Las dos demandas, impulsar las recomendaciones para cambiar el contrato de la Orden "
        "Fraternal de la Policía (FOP) y enmendar la Ordenanza de Ciudad Acogedora, cuentan con "
        "el apoyo de una coalición de organizaciones locales, entre ellas "
        f"{_COALITION_NAMES.replace(', and the ', ' y ')}, junto con Mijente."
    ),
    days_open=42,
    verified=1250,
    pending=60,
    signers_from=0,
    sources=(("", 30), ("facebook", 28), ("twitter", 14), ("email", 16), ("ocad-newsletter", 12)),
    surges=(
        Surge(day=0.5, height=8, width=1.5),
        Surge(day=19, height=22, width=1.8),
        Surge(day=33, height=5, width=1.0),
    ),
    updates=(
        DemoUpdate(
            title="Both resolutions introduced to City Council",
            body=(
                "Both resolutions have been introduced to the Chicago City Council and are "
                "waiting for a vote: the amendments to the Welcoming City Ordinance, and the "
                "resolution to amend the contract with the Fraternal Order of Police following "
                "the recommendations of the Department of Justice. They need the support of "
                "the Mayor. Please share this petition with your neighbors."
            ),
            title_es="Ambas resoluciones se presentaron ante el Concejo Municipal",
            body_es=(
                "Ambas resoluciones se han presentado ante el Concejo Municipal de Chicago y "
                "esperan una votación: las enmiendas a la Ordenanza de Ciudad Acogedora y la "
                "resolución para modificar el contrato con la Orden Fraternal de la Policía "
                "según las recomendaciones del Departamento de Justicia. Necesitan el apoyo del "
                "alcalde. Comparta esta petición con sus vecinos."
            ),
            day=18,
        ),
    ),
)

PETITIONS: tuple[DemoPetition, ...] = (DEFEND_CHICAGO, REJECT_FOP_TIES)


# --- Signers -------------------------------------------------------------------------------

# Names as Chicago's neighborhoods have them; each group's first names go mostly with its
# last names. The share of Spanish speakers sets who reads the petition in Spanish.
NAME_GROUPS: tuple[tuple[str, str, float, int], ...] = (
    # first names, last names (comma-separated), share signing in Spanish, weight
    (
        "María, José, Guadalupe, Juan, Luis, Carlos, Alejandra, Verónica, Jesús, Rosa, Miguel, "
        "Ana, Jorge, Karina, Brenda, Daniel, Marisol, Francisco, Yesenia, Ricardo, Leticia, "
        "Esteban, Araceli, Diego, Itzel, Andrés, Lupe, Maribel, Héctor, Xóchitl, Abel, Rubén",
        "García, Hernández, Martínez, López, González, Rodríguez, Pérez, Sánchez, Ramírez, "
        "Torres, Flores, Rivera, Gómez, Díaz, Reyes, Morales, Cruz, Ortiz, Gutiérrez, Chávez, "
        "Ramos, Ruiz, Mendoza, Castillo, Jiménez, Vargas, Romero, Herrera, Medina, Aguilar, "
        "Delgado, Salazar, Soto, Guzmán, Contreras, Ochoa, Zavala, Nava, Velázquez",
        0.55,
        38,
    ),
    (
        "Keisha, Darnell, Tanisha, Andre, Jasmine, Marcus, Aaliyah, Terrell, Ebony, DeShawn, "
        "Latoya, Jamal, Monique, Malik, Tiffany, Curtis, Angela, Reginald, Shawna, Dwayne, "
        "Imani, Cedric, Brianna, Lamar, Denise, Tyrone, Kiara, Maurice, Shanice, Derrick, Nia, "
        "Calvin",
        "Johnson, Williams, Brown, Jones, Jackson, Davis, Washington, Harris, Robinson, Thomas, "
        "Walker, Moore, Taylor, Coleman, Jefferson, Banks, Holloway, Simmons, Booker, Dixon, "
        "Gaines, Pruitt, Whitfield, Battle, Mitchell, Hampton, Toussaint, Grant",
        0.02,
        30,
    ),
    (
        "Katarzyna, Tomasz, Agnieszka, Piotr, Magdalena, Krzysztof, Joanna, Paweł, Ewa, Marek, "
        "Anna, Michał",
        "Kowalski, Nowak, Wiśniewska, Wójcik, Kamińska, Lewandowski, Zieliński, Szymańska, "
        "Dąbrowski, Kozłowski, Mazur, Jankowski",
        0.0,
        6,
    ),
    (
        "Nadia, Omar, Layla, Yousef, Rania, Khaled, Samira, Tariq, Huda, Ahmad, Mariam, Bilal",
        "Haddad, Khalil, Nasser, Hamdan, Saleh, Abdallah, Mansour, Awad, Jaber, Odeh, Shalabi, "
        "Qasem",
        0.0,
        6,
    ),
    (
        "Jiwoo, Minji, Hyun, Soojin, Daniel, Grace, Joon, Eunice, Mei, Wei, Lin, Kevin, Jenny, "
        "Ramon, Maricel, Rizal",
        "Kim, Lee, Park, Choi, Jung, Kang, Cho, Yoon, Chen, Wang, Zhang, Liu, Huang, Wu, Santos, "
        "Bautista, Dela Cruz, Villanueva",
        0.0,
        8,
    ),
    (
        "Priya, Amir, Fatima, Rahul, Ayesha, Imran, Meera, Sana",
        "Patel, Shah, Khan, Ahmed, Hussain, Desai, Qureshi, Siddiqui",
        0.0,
        4,
    ),
    (
        "Kathleen, Patrick, Megan, Brian, Colleen, Sean, Maureen, Kevin, Sarah, Michael, Emily, "
        "Joseph, Laura, Anthony, Rebecca, Nick",
        "O'Brien, Murphy, Sullivan, Kelly, Flanagan, Quinn, Byrne, Russo, Esposito, Romano, "
        "Schmidt, Anderson, Olson, Miller, Novak, Fischer",
        0.01,
        12,
    ),
)

# Chicago ZIP codes by weight: the neighborhoods these campaigns organize in sign most.
ZIP_CODES_BY_WEIGHT: dict[int, str] = {
    9: "60608 60623",
    8: "60632",
    7: "60629",
    6: "60609 60644",
    5: "60624 60651 60639 60647",
    4: "60618 60625 60612",
    3: "60616 60617 60619 60620 60621 60636 60637 60653 60615 60640 60641 60659",
    2: "60645 60622 60614 60613 60657 60626 60630 60634 60638 60652 60643 60628 60649",
    1: "60607 60605 60610 60654 60661 60660 60646 60631 60655 60656",
}

EMAIL_DOMAINS = ("example.org", "example.com", "example.net")
SIGNER_SEED = "groundswell-demo-1"
