"""Build ``src/ipvalue/surveys/data/project_questionnaire.xlsx``: the project's own questionnaire, as an XLSForm.

Output 1a of the project (CDIP/36) is a questionnaire to every WIPO member state collecting good practices and case
studies of IP valuation and IP-backed finance, and the obstacles met. The questionnaire is kept here as Python data,
one dict per survey row with its texts side by side in English, French, Spanish and Russian, and written out with
openpyxl as an XLSForm (``survey``, ``choices`` and ``settings`` sheets) that pyxform, ODK, KoboToolbox and ipvalue's
own importer read.

Question names and choice names are the stable codes of the exports: change a text freely, never a name.

Run with ``python tools/build_project_questionnaire.py`` (writes the workbook) or import ``build()`` (its bytes).
The content is deterministic; only the workbook's own timestamps vary from one run to the next.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path
from typing import Any

from openpyxl import Workbook

REPO_ROOT = Path(__file__).resolve().parent.parent
OUTPUT = REPO_ROOT / "src" / "ipvalue" / "surveys" / "data" / "project_questionnaire.xlsx"

#: Language code -> the language as written in the column headers (``label::English (en)``).
LANGUAGES: dict[str, str] = {
    "en": "English (en)",
    "fr": "Français (fr)",
    "es": "Español (es)",
    "ru": "Русский (ru)",
}

SETTINGS: dict[str, str] = {
    "form_title": "IP valuation and IP-backed finance: good practices and case studies",
    "form_id": "ipvalue_practices",
    "version": "2026-11",
    "default_language": LANGUAGES["en"],
}

TRANSLATED_COLUMNS = ("label", "hint", "constraint_message")
PLAIN_COLUMNS = ("required", "relevant", "constraint", "calculation", "appearance")

Text = dict[str, str]


def t(*, en: str, fr: str, es: str, ru: str) -> Text:
    """One text in every language of the form."""
    return {"en": en, "fr": fr, "es": es, "ru": ru}


# --------------------------------------------------------------------------------------------------- shared texts

YES = t(en="Yes", fr="Oui", es="Sí", ru="Да")
NO = t(en="No", fr="Non", es="No", ru="Нет")
DONT_KNOW = t(en="Don't know", fr="Je ne sais pas", es="No lo sé", ru="Затрудняюсь ответить")
OTHER = t(en="Other", fr="Autre", es="Otro", ru="Другое")
SELECT_ALL = t(
    en="Select all that apply.",
    fr="Cochez toutes les réponses pertinentes.",
    es="Seleccione todas las opciones pertinentes.",
    ru="Отметьте все подходящие варианты.",
)
SPECIFY = t(en="Please specify.", fr="Veuillez préciser.", es="Especifique.", ru="Уточните, пожалуйста.")
ESTIMATE = t(
    en="An estimate is enough. Leave blank if the figure is not known.",
    fr="Une estimation suffit. Laissez vide si le chiffre n'est pas connu.",
    es="Basta con una estimación. Deje en blanco si no se conoce la cifra.",
    ru="Достаточно приблизительной оценки. Оставьте поле пустым, если данных нет.",
)
EXCLUSIVE_MESSAGE = t(
    en="One of your answers excludes the others: please untick it or the others.",
    fr="L'une de vos réponses exclut les autres : décochez-la, ou décochez les autres.",
    es="Una de sus respuestas excluye las demás: desmárquela o desmarque las demás.",
    ru="Один из выбранных вариантов исключает остальные: снимите отметку с него или с остальных.",
)
COUNT_MESSAGE = t(
    en="Enter a whole number from 0 to 1,000,000.",
    fr="Saisissez un nombre entier de 0 à 1 000 000.",
    es="Introduzca un número entero entre 0 y 1 000 000.",
    ru="Введите целое число от 0 до 1 000 000.",
)
PERCENT_MESSAGE = t(
    en="Enter a percentage greater than 0 and at most 100.",
    fr="Saisissez un pourcentage supérieur à 0 et au plus égal à 100.",
    es="Introduzca un porcentaje mayor que 0 y no superior a 100.",
    ru="Введите процент больше 0 и не более 100.",
)
COUNT_CONSTRAINT = ". >= 0 and . <= 1000000"
PERCENT_CONSTRAINT = ". > 0 and . <= 100"


# --------------------------------------------------------------------------------------------------- row helpers


def selected(question: str, choice: str) -> str:
    """The ``relevant`` of a follow-up shown when ``choice`` is ticked in the select_multiple ``question``."""
    return f"selected(${{{question}}}, '{choice}')"


def exclusive(*choices: str) -> str:
    """A select_multiple constraint: none of ``choices`` (e.g. ``none``, ``dont_know``) is ticked with another."""
    ticked = " or ".join(f"selected(., '{choice}')" for choice in choices)
    return f"not(({ticked}) and count-selected(.) > 1)"


def specify(name: str, relevant: str, label: Text = SPECIFY) -> dict[str, Any]:
    """A "please specify" text shown under ``relevant``."""
    return {"type": "text", "name": name, "relevant": relevant, "label": label}


def severity(name: str, question: str) -> dict[str, Any]:
    """The 1-5 severity of a category of obstacles, asked once some obstacle of it is ticked."""
    return {
        "type": "select_one severity",
        "name": name,
        "relevant": f"count-selected(${{{question}}}) > 0 and not(selected(${{{question}}}, 'none'))",
        "appearance": "likert",
        "label": t(
            en="Overall, how serious are these obstacles?",
            fr="Dans l'ensemble, quelle est la gravité de ces obstacles ?",
            es="En conjunto, ¿qué gravedad tienen estos obstáculos?",
            ru="Насколько серьёзны эти препятствия в целом?",
        ),
        "hint": t(
            en="1 = minor, 5 = they make the use of IP as an economic asset practically impossible.",
            fr="1 = mineurs, 5 = ils rendent pratiquement impossible l'utilisation de la PI comme actif économique.",
            es="1 = menores, 5 = hacen prácticamente imposible utilizar la PI como activo económico.",
            ru="1 — несущественные, 5 — делают использование ИС в качестве экономического актива практически "
            "невозможным.",
        ),
    }


# --------------------------------------------------------------------------------------------------- the survey

SURVEY: list[dict[str, Any]] = [
    # ----------------------------------------------------------------------------------------- introduction
    {
        "type": "begin_group",
        "name": "introduction",
        "label": t(
            en="About this questionnaire",
            fr="À propos de ce questionnaire",
            es="Acerca de este cuestionario",
            ru="Об анкете",
        ),
    },
    {
        "type": "note",
        "name": "intro_note",
        "label": t(
            en="This questionnaire is part of the WIPO project “Establishing mechanisms for the valuation and "
            "commercialization of intellectual property”. It collects good practices and case studies of "
            "intellectual property (IP) valuation and IP-backed finance in WIPO member states, and the obstacles "
            "that stand in their way. It takes about 45 minutes. You can save your answers and come back later; "
            "leave blank any question you cannot answer, unless it is marked as required.",
            fr="Ce questionnaire s'inscrit dans le projet de l'OMPI « Mise en place de mécanismes de valorisation "
            "et de commercialisation de la propriété intellectuelle ». Il vise à recenser, dans les États membres "
            "de l'OMPI, les bonnes pratiques et les études de cas en matière d'évaluation de la propriété "
            "intellectuelle (PI) et de financement adossé à la PI, ainsi que les obstacles rencontrés. Comptez "
            "environ 45 minutes. Vous pouvez enregistrer vos réponses et y revenir plus tard ; laissez en blanc "
            "les questions auxquelles vous ne pouvez pas répondre, sauf si elles sont obligatoires.",
            es="Este cuestionario forma parte del proyecto de la OMPI «Establecimiento de mecanismos de valoración "
            "y comercialización de la propiedad intelectual». Su objetivo es reunir buenas prácticas y estudios de "
            "caso sobre la valoración de la propiedad intelectual (PI) y la financiación garantizada con PI en los "
            "Estados miembros de la OMPI, así como los obstáculos existentes. Responderlo lleva unos 45 minutos. "
            "Puede guardar sus respuestas y continuar más tarde; deje en blanco las preguntas que no pueda "
            "responder, salvo las obligatorias.",
            ru="Эта анкета подготовлена в рамках проекта ВОИС «Создание механизмов оценки и коммерциализации "
            "интеллектуальной собственности». Её цель — собрать лучшие практики и примеры оценки "
            "интеллектуальной собственности (ИС) и финансирования под залог ИС в государствах — членах ВОИС, "
            "а также выявить препятствия на этом пути. Заполнение займёт около 45 минут. Ответы можно сохранить "
            "и вернуться к анкете позже; вопросы, на которые вы не можете ответить, можно пропустить (кроме "
            "обязательных).",
        ),
    },
    {
        "type": "acknowledge",
        "name": "consent",
        "required": "yes",
        "label": t(
            en="I understand how the answers will be used: they will be published in aggregate in the project's "
            "analytical report, and information and case studies may be quoted with their source (country and "
            "institution), unless I mark a case study as not for publication. My contact details will not be "
            "published.",
            fr="J'ai pris connaissance de l'utilisation qui sera faite des réponses : elles seront publiées sous "
            "forme agrégée dans le rapport d'analyse du projet, et les informations et études de cas pourront être "
            "citées avec leur source (pays et institution), sauf si j'indique qu'une étude de cas ne doit pas être "
            "publiée. Mes coordonnées ne seront pas publiées.",
            es="Entiendo cómo se utilizarán las respuestas: se publicarán de forma agregada en el informe analítico "
            "del proyecto, y la información y los estudios de caso podrán citarse con su fuente (país e "
            "institución), salvo que indique que un estudio de caso no debe publicarse. Mis datos de contacto no "
            "se publicarán.",
            ru="Я ознакомлен(а) с порядком использования ответов: они будут опубликованы в обобщённом виде "
            "в аналитическом отчёте проекта, а сведения и примеры могут приводиться со ссылкой на источник "
            "(страну и организацию), если я не укажу, что пример не подлежит публикации. Мои контактные данные "
            "опубликованы не будут.",
        ),
    },
    {"type": "end_group"},
    # ----------------------------------------------------------------------------------------- respondent
    {
        "type": "begin_group",
        "name": "respondent",
        "label": t(
            en="About you",
            fr="Vos coordonnées",
            es="Datos de la persona que responde",
            ru="Сведения о респонденте",
        ),
        "hint": t(
            en="We use your contact details only to follow up on your answers.",
            fr="Vos coordonnées servent uniquement à revenir vers vous au sujet de vos réponses.",
            es="Sus datos de contacto solo se utilizarán para consultas sobre sus respuestas.",
            ru="Контактные данные нужны только для уточнения ваших ответов.",
        ),
    },
    {
        "type": "text",
        "name": "respondent_name",
        "required": "yes",
        "label": t(
            en="Your name", fr="Vos nom et prénom", es="Nombre y apellidos", ru="Фамилия, имя, отчество (при наличии)"
        ),
    },
    {
        "type": "text",
        "name": "respondent_position",
        "required": "yes",
        "label": t(en="Position", fr="Fonction", es="Cargo", ru="Должность"),
    },
    {
        "type": "text",
        "name": "respondent_institution",
        "required": "yes",
        "label": t(en="Institution", fr="Institution", es="Institución", ru="Организация"),
        "hint": t(
            en="Its full official name.",
            fr="Sa dénomination officielle complète.",
            es="Su nombre oficial completo.",
            ru="Полное официальное наименование.",
        ),
    },
    {
        "type": "select_one institution_types",
        "name": "institution_type",
        "required": "yes",
        "label": t(en="Type of institution", fr="Type d'institution", es="Tipo de institución", ru="Тип организации"),
    },
    specify("institution_type_other", "${institution_type} = 'other'"),
    {
        "type": "text",
        "name": "respondent_country",
        "required": "yes",
        "label": t(
            en="Country (or regional organisation) you represent",
            fr="Pays (ou organisation régionale) que vous représentez",
            es="País (u organización regional) al que representa",
            ru="Страна (или региональная организация), которую вы представляете",
        ),
    },
    {
        "type": "text",
        "name": "respondent_email",
        "required": "yes",
        "constraint": "regex(., '^[^@ ]+@[^@ ]+\\.[^@ ]+$')",
        "label": t(en="E-mail", fr="Adresse électronique", es="Correo electrónico", ru="Адрес электронной почты"),
        "constraint_message": t(
            en="Enter a valid e-mail address, such as name@example.org.",
            fr="Saisissez une adresse électronique valide, par exemple nom@example.org.",
            es="Introduzca una dirección de correo electrónico válida, por ejemplo nombre@example.org.",
            ru="Введите корректный адрес электронной почты, например name@example.org.",
        ),
    },
    {"type": "end_group"},
    # ----------------------------------------------------------------------------------------- legal framework
    {
        "type": "begin_group",
        "name": "legal_framework",
        "label": t(
            en="Legal framework for IP valuation and IP as collateral",
            fr="Cadre juridique de l'évaluation de la PI et de la PI en tant que garantie",
            es="Marco jurídico de la valoración de la PI y de la PI como garantía",
            ru="Правовое регулирование оценки ИС и залога ИС",
        ),
    },
    {
        "type": "select_one yes_no_dk",
        "name": "valuation_law_exists",
        "required": "yes",
        "label": t(
            en="Does your country's legislation regulate the valuation of intellectual property (for example a law "
            "on valuation activity, or rules on valuing intangible assets)?",
            fr="La législation de votre pays encadre-t-elle l'évaluation de la propriété intellectuelle (par "
            "exemple une loi sur l'activité d'évaluation ou des règles sur l'évaluation des actifs incorporels) ?",
            es="¿Regula la legislación de su país la valoración de la propiedad intelectual (por ejemplo, una ley "
            "sobre la actividad de tasación o normas sobre la valoración de activos intangibles)?",
            ru="Регулирует ли законодательство вашей страны оценку интеллектуальной собственности (например, закон "
            "об оценочной деятельности или правила оценки нематериальных активов)?",
        ),
    },
    {
        "type": "text",
        "name": "valuation_law_refs",
        "relevant": "${valuation_law_exists} = 'yes'",
        "appearance": "multiline",
        "label": t(
            en="Please list the laws and regulations, with their number, date and the relevant articles.",
            fr="Veuillez indiquer les lois et règlements, avec leur numéro, leur date et les articles pertinents.",
            es="Indique las leyes y reglamentos, con su número, fecha y artículos pertinentes.",
            ru="Укажите законы и иные нормативные правовые акты (номер, дата, соответствующие статьи).",
        ),
        "hint": t(
            en="A link to the official text is welcome.",
            fr="Un lien vers le texte officiel est le bienvenu.",
            es="Se agradece un enlace al texto oficial.",
            ru="Будем признательны за ссылку на официальный текст.",
        ),
    },
    {
        "type": "select_multiple valuation_cases",
        "name": "valuation_required_cases",
        "constraint": exclusive("none", "dont_know"),
        "label": t(
            en="In which situations does the law require IP to be valued?",
            fr="Dans quels cas la loi impose-t-elle une évaluation de la PI ?",
            es="¿En qué situaciones exige la ley una valoración de la PI?",
            ru="В каких случаях закон требует проведения оценки ИС?",
        ),
        "hint": SELECT_ALL,
        "constraint_message": EXCLUSIVE_MESSAGE,
    },
    specify("valuation_required_other", selected("valuation_required_cases", "other")),
    {
        "type": "select_one yes_no_dk",
        "name": "ip_pledge_allowed",
        "required": "yes",
        "label": t(
            en="Can intellectual property rights be pledged as collateral under your country's law?",
            fr="Le droit de votre pays permet-il de nantir des droits de propriété intellectuelle, c'est-à-dire de "
            "les donner en garantie ?",
            es="¿Permite la legislación de su país constituir prendas u otras garantías sobre derechos de propiedad "
            "intelectual?",
            ru="Допускает ли законодательство вашей страны залог прав на интеллектуальную собственность "
            "(исключительных прав)?",
        ),
    },
    {
        "type": "text",
        "name": "ip_pledge_law",
        "relevant": "${ip_pledge_allowed} = 'yes'",
        "label": t(
            en="Which law and articles provide for it?",
            fr="Quels textes et articles le prévoient ?",
            es="¿Qué ley y qué artículos lo prevén?",
            ru="Какой закон и какие статьи это предусматривают?",
        ),
    },
    {
        "type": "select_multiple ip_rights",
        "name": "pledgeable_rights",
        "relevant": "${ip_pledge_allowed} = 'yes'",
        "label": t(
            en="Which rights can be pledged?",
            fr="Quels droits peuvent être nantis ?",
            es="¿Sobre qué derechos pueden constituirse garantías?",
            ru="Права на какие объекты могут быть предметом залога?",
        ),
        "hint": SELECT_ALL,
    },
    {
        "type": "select_one registers",
        "name": "security_register",
        "relevant": "${ip_pledge_allowed} = 'yes'",
        "label": t(
            en="Where is a pledge of IP rights recorded?",
            fr="Où le nantissement de droits de PI est-il inscrit ?",
            es="¿Dónde se inscribe la garantía sobre derechos de PI?",
            ru="Где регистрируется залог прав на ИС?",
        ),
    },
    specify("security_register_other", "${security_register} = 'other'"),
    {
        "type": "select_one yes_no_dk",
        "name": "pledge_enforcement",
        "relevant": "${ip_pledge_allowed} = 'yes'",
        "label": t(
            en="Does the law lay down how a pledged IP right is enforced when the debtor defaults (for example sale "
            "at auction, out-of-court sale or transfer to the creditor)?",
            fr="La loi prévoit-elle comment le créancier réalise un droit de PI nanti en cas de défaillance du "
            "débiteur (par exemple vente aux enchères, vente amiable ou attribution au créancier) ?",
            es="¿Establece la ley cómo se ejecuta la garantía sobre un derecho de PI cuando el deudor incumple (por "
            "ejemplo, subasta, venta extrajudicial o adjudicación al acreedor)?",
            ru="Установлен ли законом порядок обращения взыскания на заложенные права на ИС при неисполнении "
            "обязательства должником (например, продажа с торгов, внесудебная реализация или передача "
            "кредитору)?",
        ),
    },
    {
        "type": "integer",
        "name": "pledges_registered_last_year",
        "relevant": "${ip_pledge_allowed} = 'yes'",
        "constraint": COUNT_CONSTRAINT,
        "label": t(
            en="How many pledges of IP rights were registered in the last full year?",
            fr="Combien de nantissements de droits de PI ont été inscrits au cours de la dernière année complète ?",
            es="¿Cuántas garantías sobre derechos de PI se inscribieron en el último año completo?",
            ru="Сколько залогов прав на ИС было зарегистрировано за последний полный год?",
        ),
        "hint": ESTIMATE,
        "constraint_message": COUNT_MESSAGE,
    },
    {
        "type": "select_one yes_no_dk",
        "name": "bank_collateral_rules",
        "label": t(
            en="Does banking regulation allow banks to take IP collateral into account when assessing credit risk "
            "or setting loan-loss provisions?",
            fr="La réglementation bancaire permet-elle aux banques de tenir compte d'une garantie constituée sur la "
            "PI dans l'appréciation du risque de crédit ou le calcul des provisions pour pertes sur prêts ?",
            es="¿Permite la regulación bancaria que los bancos tengan en cuenta las garantías sobre PI al evaluar el "
            "riesgo de crédito o constituir provisiones por pérdidas crediticias?",
            ru="Позволяет ли банковское регулирование учитывать залог ИС при оценке кредитного риска или "
            "формировании резервов на возможные потери по ссудам?",
        ),
    },
    {"type": "end_group"},
    # ----------------------------------------------------------------------------------------- methods, standards
    {
        "type": "begin_group",
        "name": "valuation",
        "label": t(
            en="Valuation methods and standards",
            fr="Méthodes et normes d'évaluation",
            es="Métodos y normas de valoración",
            ru="Методы и стандарты оценки",
        ),
    },
    {
        "type": "select_multiple valuation_methods",
        "name": "valuation_methods",
        "constraint": exclusive("dont_know"),
        "label": t(
            en="Which valuation methods are used in practice in your country?",
            fr="Quelles méthodes d'évaluation sont utilisées en pratique dans votre pays ?",
            es="¿Qué métodos de valoración se utilizan en la práctica en su país?",
            ru="Какие методы оценки применяются на практике в вашей стране?",
        ),
        "hint": t(
            en="By valuers, banks, courts or public bodies. Select all that apply.",
            fr="Par les évaluateurs, les banques, les tribunaux ou les organismes publics. Cochez toutes les "
            "réponses pertinentes.",
            es="Por tasadores, bancos, tribunales u organismos públicos. Seleccione todas las opciones pertinentes.",
            ru="Оценщиками, банками, судами или государственными органами. Отметьте все подходящие варианты.",
        ),
        "constraint_message": EXCLUSIVE_MESSAGE,
    },
    specify("valuation_methods_other", selected("valuation_methods", "other")),
    {
        "type": "select_multiple valuation_standards",
        "name": "valuation_standards",
        "constraint": exclusive("none", "dont_know"),
        "label": t(
            en="Which valuation standards are applied to IP?",
            fr="Quelles normes d'évaluation sont appliquées à la PI ?",
            es="¿Qué normas de valoración se aplican a la PI?",
            ru="Какие стандарты оценки применяются к ИС?",
        ),
        "hint": SELECT_ALL,
        "constraint_message": EXCLUSIVE_MESSAGE,
    },
    {
        "type": "text",
        "name": "national_standard_name",
        "relevant": selected("valuation_standards", "national_standard"),
        "label": t(
            en="Which national standard? Please give its title, number and date of approval.",
            fr="Quelle norme nationale ? Veuillez indiquer son intitulé, son numéro et sa date d'approbation.",
            es="¿Qué norma nacional? Indique su título, número y fecha de aprobación.",
            ru="Какой национальный стандарт? Укажите его название, номер и дату утверждения.",
        ),
    },
    specify("valuation_standards_other", selected("valuation_standards", "other")),
    {
        "type": "select_one yes_no_dk",
        "name": "valuation_guidance",
        "label": t(
            en="Has the IP office or another public body published guidance on IP valuation?",
            fr="L'office de PI ou un autre organisme public a-t-il publié des orientations sur l'évaluation de la PI ?",
            es="¿Ha publicado la oficina de PI u otro organismo público orientaciones sobre la valoración de la PI?",
            ru="Публиковало ли ведомство по ИС или другой государственный орган методические материалы по оценке ИС?",
        ),
        "hint": t(
            en="For example methodological recommendations, manuals or model valuation reports.",
            fr="Par exemple des recommandations méthodologiques, des manuels ou des modèles de rapport d'évaluation.",
            es="Por ejemplo, recomendaciones metodológicas, manuales o modelos de informe de valoración.",
            ru="Например, методические рекомендации, руководства или типовые отчёты об оценке.",
        ),
    },
    {
        "type": "text",
        "name": "valuation_guidance_ref",
        "relevant": "${valuation_guidance} = 'yes'",
        "label": t(
            en="Please give its title and, if possible, a link.",
            fr="Veuillez en indiquer le titre et, si possible, un lien.",
            es="Indique su título y, si es posible, un enlace.",
            ru="Укажите название и, по возможности, ссылку.",
        ),
    },
    {"type": "end_group"},
    # ----------------------------------------------------------------------------------------- institutions, valuers
    {
        "type": "begin_group",
        "name": "valuers",
        "label": t(
            en="Institutions and valuers",
            fr="Institutions et évaluateurs",
            es="Instituciones y tasadores",
            ru="Организации и оценщики",
        ),
    },
    {
        "type": "select_multiple valuer_requirements",
        "name": "valuer_requirements",
        "constraint": exclusive("none", "dont_know"),
        "label": t(
            en="What does a person need in order to value IP professionally in your country?",
            fr="Que faut-il pour exercer l'évaluation de la PI à titre professionnel dans votre pays ?",
            es="¿Qué se requiere en su país para valorar PI a título profesional?",
            ru="Какие требования предъявляются в вашей стране к лицам, профессионально занимающимся оценкой ИС?",
        ),
        "hint": SELECT_ALL,
        "constraint_message": EXCLUSIVE_MESSAGE,
    },
    {
        "type": "integer",
        "name": "accredited_valuers",
        "constraint": COUNT_CONSTRAINT,
        "label": t(
            en="Approximately how many valuers are accredited or certified to value IP and other intangible assets "
            "in your country?",
            fr="Combien d'évaluateurs, approximativement, sont agréés ou certifiés pour évaluer la PI et les autres "
            "actifs incorporels dans votre pays ?",
            es="¿Cuántos tasadores, aproximadamente, están acreditados o certificados para valorar PI y otros "
            "activos intangibles en su país?",
            ru="Сколько примерно оценщиков в вашей стране аккредитованы или аттестованы для оценки ИС и иных "
            "нематериальных активов?",
        ),
        "hint": ESTIMATE,
        "constraint_message": COUNT_MESSAGE,
    },
    {
        "type": "select_multiple providers",
        "name": "valuation_providers",
        "constraint": exclusive("dont_know"),
        "label": t(
            en="Who carries out IP valuations in practice?",
            fr="Qui réalise les évaluations de PI en pratique ?",
            es="¿Quién realiza en la práctica las valoraciones de PI?",
            ru="Кто на практике проводит оценку ИС?",
        ),
        "hint": SELECT_ALL,
        "constraint_message": EXCLUSIVE_MESSAGE,
    },
    {
        "type": "select_multiple ip_office_roles",
        "name": "ip_office_role",
        "constraint": exclusive("none"),
        "label": t(
            en="What does the IP office do in relation to IP valuation and IP-backed finance?",
            fr="Quel rôle l'office de PI joue-t-il en matière d'évaluation de la PI et de financement adossé à la PI ?",
            es="¿Qué papel desempeña la oficina de PI en la valoración de la PI y la financiación garantizada con PI?",
            ru="Чем занимается ведомство по ИС в сфере оценки ИС и финансирования под залог ИС?",
        ),
        "hint": SELECT_ALL,
        "constraint_message": EXCLUSIVE_MESSAGE,
    },
    {"type": "end_group"},
    # ----------------------------------------------------------------------------------------- financial instruments
    {
        "type": "begin_group",
        "name": "financial_instruments",
        "label": t(
            en="Financial instruments",
            fr="Instruments financiers",
            es="Instrumentos financieros",
            ru="Финансовые инструменты",
        ),
    },
    {
        "type": "select_one yes_no_dk",
        "name": "instruments_available",
        "required": "yes",
        "label": t(
            en="Are financial instruments that use IP (such as IP-backed loans or guarantees) available in your "
            "country?",
            fr="Existe-t-il dans votre pays des instruments financiers qui s'appuient sur la PI (tels que des prêts "
            "adossés à la PI ou des garanties) ?",
            es="¿Existen en su país instrumentos financieros basados en la PI (como préstamos garantizados con PI o "
            "garantías)?",
            ru="Существуют ли в вашей стране финансовые инструменты, основанные на ИС (например, кредиты под залог "
            "ИС или гарантии)?",
        ),
    },
    {
        "type": "select_multiple instruments",
        "name": "instruments",
        "required": "yes",
        "relevant": "${instruments_available} = 'yes'",
        "label": t(
            en="Which of these instruments are in use?",
            fr="Lesquels de ces instruments sont utilisés ?",
            es="¿Cuáles de estos instrumentos se utilizan?",
            ru="Какие из этих инструментов используются?",
        ),
        "hint": t(
            en="Select all that apply, whether offered by public or private institutions.",
            fr="Cochez toutes les réponses pertinentes, que l'offre soit publique ou privée.",
            es="Seleccione todas las opciones pertinentes, tanto de instituciones públicas como privadas.",
            ru="Отметьте все подходящие варианты — как государственные, так и частные.",
        ),
    },
    specify("instruments_other", selected("instruments", "other")),
    {
        "type": "integer",
        "name": "ip_loans_last_year",
        "relevant": selected("instruments", "ip_backed_loans"),
        "constraint": COUNT_CONSTRAINT,
        "label": t(
            en="How many IP-backed loans were granted in the last full year?",
            fr="Combien de prêts adossés à la PI ont été accordés au cours de la dernière année complète ?",
            es="¿Cuántos préstamos garantizados con PI se concedieron en el último año completo?",
            ru="Сколько кредитов под залог ИС было выдано за последний полный год?",
        ),
        "hint": ESTIMATE,
        "constraint_message": COUNT_MESSAGE,
    },
    {
        "type": "decimal",
        "name": "ip_loans_amount",
        "relevant": selected("instruments", "ip_backed_loans"),
        "constraint": ". >= 0",
        "label": t(
            en="What was their total amount, in millions of US dollars?",
            fr="Quel en a été le montant total, en millions de dollars des États-Unis ?",
            es="¿Cuál fue su importe total, en millones de dólares de los Estados Unidos?",
            ru="Какова их общая сумма, в млн долларов США?",
        ),
        "hint": t(
            en="An approximate figure, converted at the year's average exchange rate.",
            fr="Un montant approximatif, converti au taux de change moyen de l'année.",
            es="Un importe aproximado, convertido al tipo de cambio medio del año.",
            ru="Приблизительная сумма, пересчитанная по среднегодовому курсу.",
        ),
        "constraint_message": t(
            en="Enter an amount of zero or more.",
            fr="Saisissez un montant positif ou nul.",
            es="Introduzca un importe igual o superior a cero.",
            ru="Введите неотрицательную сумму.",
        ),
    },
    {
        "type": "decimal",
        "name": "loan_to_value",
        "relevant": selected("instruments", "ip_backed_loans"),
        "constraint": PERCENT_CONSTRAINT,
        "label": t(
            en="Typical maximum loan as a percentage of the appraised value of the IP (loan-to-value, %)",
            fr="Montant maximal habituel du prêt en pourcentage de la valeur estimée de la PI (ratio prêt/valeur, %)",
            es="Importe máximo habitual del préstamo como porcentaje del valor tasado de la PI (relación "
            "préstamo-valor, %)",
            ru="Типичный максимальный размер кредита в процентах от оценочной стоимости ИС (залоговый "
            "коэффициент, LTV, %)",
        ),
        "constraint_message": PERCENT_MESSAGE,
    },
    {
        "type": "decimal",
        "name": "guarantee_cover",
        "relevant": selected("instruments", "loan_guarantees"),
        "constraint": PERCENT_CONSTRAINT,
        "label": t(
            en="Typical share of the loan covered by the guarantee (%)",
            fr="Part habituelle du prêt couverte par la garantie (%)",
            es="Porcentaje habitual del préstamo cubierto por la garantía (%)",
            ru="Типичная доля кредита, покрываемая гарантией (%)",
        ),
        "constraint_message": PERCENT_MESSAGE,
    },
    {
        "type": "select_multiple default_outcomes",
        "name": "default_handling",
        "relevant": f"${{ip_pledge_allowed}} = 'yes' or {selected('instruments', 'ip_backed_loans')}",
        "constraint": exclusive("no_cases", "dont_know"),
        "label": t(
            en="When a borrower defaults on a loan secured by IP, what happens to the IP in practice?",
            fr="Lorsqu'un emprunteur ne rembourse pas un prêt garanti par de la PI, qu'advient-il de la PI en "
            "pratique ?",
            es="Cuando un prestatario incumple un préstamo garantizado con PI, ¿qué ocurre en la práctica con la PI?",
            ru="Что на практике происходит с заложенной ИС, если заёмщик не возвращает кредит?",
        ),
        "hint": SELECT_ALL,
        "constraint_message": EXCLUSIVE_MESSAGE,
    },
    {
        "type": "select_one yes_no_dk",
        "name": "public_programme",
        "label": t(
            en="Is there a public programme, national or regional, that supports IP-backed finance or the "
            "commercialisation of IP?",
            fr="Existe-t-il un programme public, national ou régional, de soutien au financement adossé à la PI ou "
            "à la commercialisation de la PI ?",
            es="¿Existe algún programa público, nacional o regional, de apoyo a la financiación garantizada con PI "
            "o a la comercialización de la PI?",
            ru="Существует ли государственная программа (общенациональная или региональная) поддержки "
            "финансирования под залог ИС или коммерциализации ИС?",
        ),
    },
    {
        "type": "text",
        "name": "public_programme_details",
        "relevant": "${public_programme} = 'yes'",
        "appearance": "multiline",
        "label": t(
            en="Please describe it: name, operator, period, budget and, if possible, a link.",
            fr="Veuillez le décrire : nom, opérateur, période, budget et, si possible, un lien.",
            es="Descríbalo: nombre, entidad gestora, período, presupuesto y, si es posible, un enlace.",
            ru="Опишите её: название, оператор, сроки, бюджет; по возможности приложите ссылку.",
        ),
    },
    {
        "type": "select_one yes_no_dk",
        "name": "licence_registration",
        "label": t(
            en="Must IP licence agreements be registered, for example with the IP office?",
            fr="Les contrats de licence de PI doivent-ils être inscrits, par exemple auprès de l'office de PI ?",
            es="¿Deben inscribirse los contratos de licencia de PI, por ejemplo en la oficina de PI?",
            ru="Подлежат ли лицензионные договоры на объекты ИС регистрации, например в ведомстве по ИС?",
        ),
    },
    {
        "type": "integer",
        "name": "licences_registered_last_year",
        "relevant": "${licence_registration} = 'yes'",
        "constraint": COUNT_CONSTRAINT,
        "label": t(
            en="How many licence agreements were registered in the last full year?",
            fr="Combien de contrats de licence ont été inscrits au cours de la dernière année complète ?",
            es="¿Cuántos contratos de licencia se inscribieron en el último año completo?",
            ru="Сколько лицензионных договоров было зарегистрировано за последний полный год?",
        ),
        "hint": ESTIMATE,
        "constraint_message": COUNT_MESSAGE,
    },
    {"type": "end_group"},
    # ----------------------------------------------------------------------------------------- case studies
    {
        "type": "begin_group",
        "name": "good_practices",
        "label": t(
            en="Good practices and case studies",
            fr="Bonnes pratiques et études de cas",
            es="Buenas prácticas y estudios de caso",
            ru="Лучшие практики и примеры",
        ),
    },
    {
        "type": "note",
        "name": "case_intro",
        "label": t(
            en="Please describe each good practice or case study in its own block: a loan secured by IP, a "
            "guarantee scheme, a licensing deal, a valuation programme and so on. Add as many blocks as you need; "
            "failures teach as much as successes.",
            fr="Décrivez chaque bonne pratique ou étude de cas dans un bloc distinct : un prêt garanti par de la PI, "
            "un dispositif de garantie, un accord de licence, un programme d'évaluation, etc. Ajoutez autant de "
            "blocs que nécessaire ; les échecs sont aussi instructifs que les réussites.",
            es="Describa cada buena práctica o estudio de caso en un bloque distinto: un préstamo garantizado con "
            "PI, un sistema de garantías, un acuerdo de licencia, un programa de valoración, etc. Añada tantos "
            "bloques como necesite; los fracasos enseñan tanto como los éxitos.",
            ru="Опишите каждую практику или каждый пример в отдельном блоке: кредит под залог ИС, гарантийную "
            "программу, лицензионную сделку, программу оценки и т. п. Добавьте столько блоков, сколько нужно: "
            "неудачный опыт не менее ценен, чем успешный.",
        ),
    },
    {
        "type": "begin_repeat",
        "name": "case_studies",
        "label": t(en="Case study", fr="Étude de cas", es="Estudio de caso", ru="Пример из практики"),
    },
    {
        "type": "text",
        "name": "case_title",
        "required": "yes",
        "label": t(
            en="Title of the practice or case",
            fr="Intitulé de la pratique ou du cas",
            es="Título de la práctica o del caso",
            ru="Название практики или примера",
        ),
        "hint": t(
            en="A short title, such as the name of the programme or of the deal.",
            fr="Un intitulé court, par exemple le nom du programme ou de l'opération.",
            es="Un título breve, por ejemplo el nombre del programa o de la operación.",
            ru="Краткое название, например название программы или сделки.",
        ),
    },
    {
        "type": "select_one instruments",
        "name": "case_instrument",
        "required": "yes",
        "label": t(
            en="Main instrument",
            fr="Instrument principal",
            es="Instrumento principal",
            ru="Основной инструмент",
        ),
        "hint": t(
            en="If “Other”, describe it under “What happened?” below.",
            fr="Si vous choisissez « Autre », décrivez-le sous « Que s'est-il passé ? » ci-dessous.",
            es="Si elige «Otro», descríbalo más abajo, en «¿Qué ocurrió?».",
            ru="Если выбран вариант «Другое», опишите инструмент ниже, в поле «Что произошло?».",
        ),
    },
    {
        "type": "select_multiple ip_rights",
        "name": "case_ip_rights",
        "label": t(
            en="Which IP rights were involved?",
            fr="Quels droits de PI étaient en jeu ?",
            es="¿Qué derechos de PI intervinieron?",
            ru="Какие объекты ИС были задействованы?",
        ),
        "hint": SELECT_ALL,
    },
    {
        "type": "select_multiple stakeholders",
        "name": "case_stakeholders",
        "label": t(
            en="Who was involved?",
            fr="Quels acteurs y ont participé ?",
            es="¿Quiénes participaron?",
            ru="Кто участвовал?",
        ),
        "hint": SELECT_ALL,
    },
    {
        "type": "integer",
        "name": "case_year",
        "required": "yes",
        "constraint": ". >= 1990 and . <= 2030",
        "label": t(en="Year it started", fr="Année de démarrage", es="Año de inicio", ru="Год начала"),
        "constraint_message": t(
            en="Enter a year between 1990 and 2030.",
            fr="Saisissez une année comprise entre 1990 et 2030.",
            es="Introduzca un año entre 1990 y 2030.",
            ru="Укажите год в диапазоне от 1990 до 2030.",
        ),
    },
    {
        "type": "decimal",
        "name": "case_amount",
        "constraint": ". > 0",
        "label": t(en="Amount financed", fr="Montant financé", es="Importe financiado", ru="Сумма финансирования"),
        "hint": t(
            en="Leave blank if not applicable or confidential.",
            fr="Laissez vide si la question ne s'applique pas ou si le montant est confidentiel.",
            es="Deje en blanco si no procede o si el importe es confidencial.",
            ru="Оставьте поле пустым, если это неприменимо или сведения конфиденциальны.",
        ),
        "constraint_message": t(
            en="Enter an amount greater than zero.",
            fr="Saisissez un montant supérieur à zéro.",
            es="Introduzca un importe mayor que cero.",
            ru="Введите сумму больше нуля.",
        ),
    },
    {
        "type": "text",
        "name": "case_currency",
        "relevant": "${case_amount} != ''",
        "constraint": "regex(., '^[A-Za-z]{3}$')",
        "label": t(en="Currency", fr="Monnaie", es="Moneda", ru="Валюта"),
        "hint": t(
            en="Its three-letter code (ISO 4217), such as USD or EUR.",
            fr="Son code à trois lettres (ISO 4217), par exemple USD ou EUR.",
            es="Su código de tres letras (ISO 4217), por ejemplo USD o EUR.",
            ru="Трёхбуквенный код (ISO 4217), например USD или EUR.",
        ),
        "constraint_message": t(
            en="Enter a three-letter currency code, such as USD or EUR.",
            fr="Saisissez un code de monnaie à trois lettres, par exemple USD ou EUR.",
            es="Introduzca un código de moneda de tres letras, por ejemplo USD o EUR.",
            ru="Введите трёхбуквенный код валюты, например USD или EUR.",
        ),
    },
    {
        "type": "select_multiple valuation_methods",
        "name": "case_valuation_methods",
        "constraint": exclusive("dont_know"),
        "label": t(
            en="Which valuation methods were used?",
            fr="Quelles méthodes d'évaluation ont été utilisées ?",
            es="¿Qué métodos de valoración se utilizaron?",
            ru="Какие методы оценки использовались?",
        ),
        "hint": t(
            en="Select all that apply. If “Other”, say which under “What happened?” below.",
            fr="Cochez toutes les réponses pertinentes. Si vous choisissez « Autre », précisez-la sous « Que "
            "s'est-il passé ? » ci-dessous.",
            es="Seleccione todas las opciones pertinentes. Si elige «Otro», indique cuál más abajo, en «¿Qué "
            "ocurrió?».",
            ru="Отметьте все подходящие варианты. Если выбран вариант «Другое», укажите метод ниже, в поле «Что "
            "произошло?».",
        ),
        "constraint_message": EXCLUSIVE_MESSAGE,
    },
    {
        "type": "text",
        "name": "case_description",
        "required": "yes",
        "appearance": "multiline",
        "label": t(en="What happened?", fr="Que s'est-il passé ?", es="¿Qué ocurrió?", ru="Что произошло?"),
        "hint": t(
            en="Who did what; how and by whom the IP was valued; the terms (amount, duration, collateral, "
            "guarantee); what made it work or not.",
            fr="Qui a fait quoi ; comment et par qui la PI a été évaluée ; les conditions (montant, durée, sûretés, "
            "garantie) ; ce qui a fait le succès ou l'échec.",
            es="Quién hizo qué; cómo y quién valoró la PI; las condiciones (importe, plazo, garantías); qué "
            "determinó el éxito o el fracaso.",
            ru="Кто и что сделал; как и кем оценивалась ИС; условия (сумма, срок, обеспечение, гарантия); что "
            "обусловило успех или неудачу.",
        ),
    },
    {
        "type": "select_one outcomes",
        "name": "case_outcome",
        "required": "yes",
        "label": t(en="Outcome", fr="Résultat", es="Resultado", ru="Результат"),
    },
    {
        "type": "text",
        "name": "case_lessons",
        "appearance": "multiline",
        "label": t(
            en="What can other countries learn from it?",
            fr="Quels enseignements d'autres pays peuvent-ils en tirer ?",
            es="¿Qué enseñanzas pueden extraer otros países?",
            ru="Какие уроки из этого опыта могут извлечь другие страны?",
        ),
    },
    {
        "type": "text",
        "name": "case_source",
        "label": t(en="Source or link", fr="Source ou lien", es="Fuente o enlace", ru="Источник или ссылка"),
        "hint": t(
            en="A publication, a web page or a contact person.",
            fr="Une publication, une page web ou une personne à contacter.",
            es="Una publicación, una página web o una persona de contacto.",
            ru="Публикация, веб-страница или контактное лицо.",
        ),
    },
    {
        "type": "select_one disclosure",
        "name": "case_disclosure",
        "required": "yes",
        "label": t(
            en="May this case be published?",
            fr="Cette étude de cas peut-elle être publiée ?",
            es="¿Puede publicarse este caso?",
            ru="Можно ли опубликовать этот пример?",
        ),
    },
    {"type": "end_repeat"},
    {"type": "end_group"},
    # ----------------------------------------------------------------------------------------- obstacles
    {
        "type": "begin_group",
        "name": "obstacles",
        "label": t(
            en="Legal, technical and organisational obstacles",
            fr="Obstacles juridiques, techniques et organisationnels",
            es="Obstáculos jurídicos, técnicos y organizativos",
            ru="Правовые, технические и организационные препятствия",
        ),
        "hint": t(
            en="What stands in the way of using IP as an economic asset in your country?",
            fr="Qu'est-ce qui empêche, dans votre pays, d'utiliser la PI comme un actif économique ?",
            es="¿Qué impide en su país utilizar la PI como activo económico?",
            ru="Что мешает использовать ИС в качестве экономического актива в вашей стране?",
        ),
    },
    {
        "type": "select_multiple legal_obstacles",
        "name": "obstacles_legal",
        "constraint": exclusive("none"),
        "label": t(
            en="Legal obstacles",
            fr="Obstacles juridiques",
            es="Obstáculos jurídicos",
            ru="Правовые препятствия",
        ),
        "hint": SELECT_ALL,
        "constraint_message": EXCLUSIVE_MESSAGE,
    },
    specify("obstacles_legal_other", selected("obstacles_legal", "other")),
    severity("obstacles_legal_severity", "obstacles_legal"),
    {
        "type": "select_multiple technical_obstacles",
        "name": "obstacles_technical",
        "constraint": exclusive("none"),
        "label": t(
            en="Technical obstacles (methods, data, skills)",
            fr="Obstacles techniques (méthodes, données, compétences)",
            es="Obstáculos técnicos (métodos, datos, competencias)",
            ru="Технические препятствия (методы, данные, компетенции)",
        ),
        "hint": SELECT_ALL,
        "constraint_message": EXCLUSIVE_MESSAGE,
    },
    specify("obstacles_technical_other", selected("obstacles_technical", "other")),
    severity("obstacles_technical_severity", "obstacles_technical"),
    {
        "type": "select_multiple organisational_obstacles",
        "name": "obstacles_organisational",
        "constraint": exclusive("none"),
        "label": t(
            en="Organisational obstacles",
            fr="Obstacles organisationnels",
            es="Obstáculos organizativos",
            ru="Организационные препятствия",
        ),
        "hint": SELECT_ALL,
        "constraint_message": EXCLUSIVE_MESSAGE,
    },
    specify("obstacles_organisational_other", selected("obstacles_organisational", "other")),
    severity("obstacles_organisational_severity", "obstacles_organisational"),
    {
        "type": "text",
        "name": "main_obstacle",
        "appearance": "multiline",
        "label": t(
            en="In your view, which obstacle matters most, and what would help remove it?",
            fr="Selon vous, quel obstacle est le plus important, et qu'est-ce qui permettrait de le lever ?",
            es="En su opinión, ¿cuál es el obstáculo más importante y qué ayudaría a superarlo?",
            ru="Какое препятствие, на ваш взгляд, главное и что помогло бы его устранить?",
        ),
    },
    {"type": "end_group"},
    # ----------------------------------------------------------------------------------------- closing
    {
        "type": "begin_group",
        "name": "closing",
        "label": t(
            en="Support and final remarks",
            fr="Besoins et observations finales",
            es="Necesidades y observaciones finales",
            ru="Потребности и заключительные замечания",
        ),
    },
    {
        "type": "select_multiple support",
        "name": "support_needed",
        "label": t(
            en="Which kinds of support would be most useful to your country?",
            fr="Quels types d'appui seraient les plus utiles à votre pays ?",
            es="¿Qué tipo de apoyo sería más útil para su país?",
            ru="Какая поддержка была бы наиболее полезна вашей стране?",
        ),
        "hint": SELECT_ALL,
    },
    {
        "type": "select_one yes_no",
        "name": "webinar_interest",
        "label": t(
            en="Would your institution like to present its experience at one of the project's webinars?",
            fr="Votre institution souhaiterait-elle présenter son expérience lors de l'un des webinaires du projet ?",
            es="¿Desearía su institución presentar su experiencia en uno de los seminarios web del proyecto?",
            ru="Хотела бы ваша организация представить свой опыт на одном из вебинаров проекта?",
        ),
    },
    {
        "type": "text",
        "name": "final_comments",
        "appearance": "multiline",
        "label": t(
            en="Any other comments",
            fr="Autres observations",
            es="Otras observaciones",
            ru="Другие замечания",
        ),
        "hint": t(
            en="Including documents we should read (laws, standards, reports, statistics): titles or links.",
            fr="Y compris les documents à consulter (lois, normes, rapports, statistiques) : titres ou liens.",
            es="Incluidos los documentos que deberíamos consultar (leyes, normas, informes, estadísticas): títulos "
            "o enlaces.",
            ru="В том числе документы, с которыми нам стоит ознакомиться (законы, стандарты, отчёты, статистика): "
            "названия или ссылки.",
        ),
    },
    {"type": "calculate", "name": "case_count", "calculation": "count(${case_studies})"},
    {
        "type": "note",
        "name": "closing_note",
        "label": t(
            en="Thank you! Case studies described: ${case_count}. Please review your answers before you submit the "
            "questionnaire.",
            fr="Merci ! Études de cas décrites : ${case_count}. Veuillez relire vos réponses avant d'envoyer le "
            "questionnaire.",
            es="¡Gracias! Estudios de caso descritos: ${case_count}. Revise sus respuestas antes de enviar el "
            "cuestionario.",
            ru="Спасибо! Описано примеров: ${case_count}. Пожалуйста, проверьте ответы перед отправкой анкеты.",
        ),
    },
    {"type": "end_group"},
]


# --------------------------------------------------------------------------------------------------- the choices

CHOICES: dict[str, list[tuple[str, Text]]] = {
    "yes_no": [("yes", YES), ("no", NO)],
    "yes_no_dk": [("yes", YES), ("no", NO), ("dont_know", DONT_KNOW)],
    "institution_types": [
        (
            "ip_office",
            t(
                en="National or regional IP office",
                fr="Office national ou régional de PI",
                es="Oficina nacional o regional de PI",
                ru="Национальное или региональное ведомство по ИС",
            ),
        ),
        (
            "ministry",
            t(
                en="Ministry or other government body",
                fr="Ministère ou autre administration publique",
                es="Ministerio u otro organismo gubernamental",
                ru="Министерство или иной государственный орган",
            ),
        ),
        (
            "financial_regulator",
            t(
                en="Central bank or financial supervisor",
                fr="Banque centrale ou autorité de surveillance financière",
                es="Banco central u organismo de supervisión financiera",
                ru="Центральный (национальный) банк или орган финансового надзора",
            ),
        ),
        (
            "financial_institution",
            t(
                en="Bank, development bank or guarantee fund",
                fr="Banque, banque de développement ou fonds de garantie",
                es="Banco, banco de desarrollo o fondo de garantía",
                ru="Банк, банк развития или гарантийный фонд",
            ),
        ),
        (
            "research",
            t(
                en="University or research institute",
                fr="Université ou institut de recherche",
                es="Universidad o centro de investigación",
                ru="Университет или научная организация",
            ),
        ),
        ("other", OTHER),
    ],
    "valuation_cases": [
        (
            "capital_contribution",
            t(
                en="Contribution of IP to the capital of a company",
                fr="Apport de PI au capital d'une société",
                es="Aportación de PI al capital de una sociedad",
                ru="Внесение прав на ИС в уставный капитал общества",
            ),
        ),
        (
            "state_ip",
            t(
                en="Sale or transfer of IP owned by the state or created with public funds",
                fr="Cession de PI appartenant à l'État ou créée sur fonds publics",
                es="Venta o transferencia de PI de titularidad pública o creada con fondos públicos",
                ru="Отчуждение ИС, принадлежащей государству или созданной за счёт бюджетных средств",
            ),
        ),
        (
            "pledge",
            t(
                en="Pledge of IP rights as collateral",
                fr="Nantissement de droits de PI",
                es="Constitución de garantías sobre derechos de PI",
                ru="Залог прав на ИС",
            ),
        ),
        (
            "insolvency",
            t(
                en="Insolvency proceedings",
                fr="Procédures collectives (insolvabilité)",
                es="Procedimientos concursales",
                ru="Процедуры банкротства",
            ),
        ),
        (
            "financial_reporting",
            t(
                en="Recognition in financial statements",
                fr="Comptabilisation dans les états financiers",
                es="Reconocimiento en los estados financieros",
                ru="Отражение в бухгалтерской (финансовой) отчётности",
            ),
        ),
        (
            "taxation",
            t(
                en="Taxation, including transfer pricing",
                fr="Fiscalité, y compris les prix de transfert",
                es="Tributación, incluidos los precios de transferencia",
                ru="Налогообложение, включая трансфертное ценообразование",
            ),
        ),
        (
            "litigation",
            t(
                en="Court proceedings (for example damages for infringement)",
                fr="Procédures judiciaires (par exemple dommages-intérêts pour contrefaçon)",
                es="Procesos judiciales (por ejemplo, indemnización por infracción)",
                ru="Судебные споры (например, возмещение убытков за нарушение прав)",
            ),
        ),
        (
            "none",
            t(
                en="None: valuation is never mandatory",
                fr="Aucun : l'évaluation n'est jamais obligatoire",
                es="Ninguna: la valoración nunca es obligatoria",
                ru="Ни в каких: оценка не является обязательной",
            ),
        ),
        ("dont_know", DONT_KNOW),
        ("other", OTHER),
    ],
    "ip_rights": [
        (
            "patents",
            t(
                en="Patents for inventions",
                fr="Brevets d'invention",
                es="Patentes de invención",
                ru="Патенты на изобретения",
            ),
        ),
        (
            "utility_models",
            t(en="Utility models", fr="Modèles d'utilité", es="Modelos de utilidad", ru="Полезные модели"),
        ),
        (
            "industrial_designs",
            t(
                en="Industrial designs",
                fr="Dessins et modèles industriels",
                es="Diseños industriales",
                ru="Промышленные образцы",
            ),
        ),
        ("trademarks", t(en="Trademarks", fr="Marques", es="Marcas", ru="Товарные знаки")),
        (
            "copyright",
            t(
                en="Copyright, including software",
                fr="Droit d'auteur, y compris les logiciels",
                es="Derecho de autor, incluido el software",
                ru="Авторские права, включая программы для ЭВМ",
            ),
        ),
        (
            "trade_secrets",
            t(
                en="Trade secrets and know-how",
                fr="Secrets d'affaires et savoir-faire",
                es="Secretos comerciales y conocimientos técnicos",
                ru="Секреты производства (ноу-хау)",
            ),
        ),
        (
            "plant_varieties",
            t(
                en="Plant variety rights",
                fr="Obtentions végétales",
                es="Derechos de obtentor",
                ru="Селекционные достижения",
            ),
        ),
    ],
    "registers": [
        (
            "ip_office_register",
            t(
                en="In the IP office's register of rights",
                fr="Au registre de l'office de PI",
                es="En el registro de la oficina de PI",
                ru="В реестре ведомства по ИС",
            ),
        ),
        (
            "collateral_register",
            t(
                en="In a general register of security interests in movable property",
                fr="Dans un registre général des sûretés mobilières",
                es="En un registro general de garantías mobiliarias",
                ru="В общем реестре залогов движимого имущества",
            ),
        ),
        ("both", t(en="In both", fr="Dans les deux", es="En ambos", ru="В обоих реестрах")),
        (
            "not_registered",
            t(
                en="It is not recorded in any register",
                fr="Il n'est inscrit dans aucun registre",
                es="No se inscribe en ningún registro",
                ru="Залог нигде не регистрируется",
            ),
        ),
        ("dont_know", DONT_KNOW),
        ("other", OTHER),
    ],
    "valuation_methods": [
        (
            "cost",
            t(
                en="Cost approach (reproduction or replacement cost)",
                fr="Approche par les coûts (coût de reproduction ou de remplacement)",
                es="Enfoque del costo (costo de reproducción o de reposición)",
                ru="Затратный подход (затраты на воспроизводство или замещение)",
            ),
        ),
        (
            "market",
            t(
                en="Market approach (comparable transactions, comparable royalty rates)",
                fr="Approche par le marché (transactions comparables, taux de redevance comparables)",
                es="Enfoque de mercado (transacciones comparables, tasas de regalías comparables)",
                ru="Сравнительный (рыночный) подход (сделки-аналоги, сопоставимые ставки роялти)",
            ),
        ),
        (
            "relief_from_royalty",
            t(
                en="Income approach: relief from royalty",
                fr="Approche par le revenu : méthode de l'exemption de redevances (relief from royalty)",
                es="Enfoque de ingresos: método del ahorro de regalías (relief from royalty)",
                ru="Доходный подход: метод освобождения от роялти",
            ),
        ),
        (
            "excess_earnings",
            t(
                en="Income approach: multi-period excess earnings (MPEEM)",
                fr="Approche par le revenu : méthode des surprofits sur plusieurs périodes (MPEEM)",
                es="Enfoque de ingresos: método del exceso de beneficios multiperiodo (MPEEM)",
                ru="Доходный подход: метод многопериодной избыточной прибыли (MPEEM)",
            ),
        ),
        (
            "with_and_without",
            t(
                en="Income approach: with-and-without (incremental cash flows)",
                fr="Approche par le revenu : méthode « avec et sans » (flux de trésorerie différentiels)",
                es="Enfoque de ingresos: método «con y sin» (flujos de caja incrementales)",
                ru="Доходный подход: метод «с активом и без него» (приростные денежные потоки)",
            ),
        ),
        (
            "profit_split",
            t(
                en="Income approach: profit split",
                fr="Approche par le revenu : partage des bénéfices",
                es="Enfoque de ingresos: reparto de beneficios",
                ru="Доходный подход: метод распределения прибыли",
            ),
        ),
        (
            "real_options",
            t(
                en="Real options (for example Black-Scholes, binomial trees)",
                fr="Options réelles (par exemple Black-Scholes, arbres binomiaux)",
                es="Opciones reales (por ejemplo, Black-Scholes, árboles binomiales)",
                ru="Метод реальных опционов (например, модель Блэка — Шоулза, биномиальные деревья)",
            ),
        ),
        (
            "monte_carlo",
            t(
                en="Monte Carlo simulation",
                fr="Simulation de Monte-Carlo",
                es="Simulación de Montecarlo",
                ru="Моделирование методом Монте-Карло",
            ),
        ),
        (
            "scoring",
            t(
                en="Qualitative scoring or rating (for example IPscore)",
                fr="Notation qualitative (par exemple IPscore)",
                es="Puntuación o calificación cualitativa (por ejemplo, IPscore)",
                ru="Качественная балльная оценка, рейтинг (например, IPscore)",
            ),
        ),
        ("dont_know", DONT_KNOW),
        ("other", OTHER),
    ],
    "valuation_standards": [
        (
            "ivs",
            t(
                en="International Valuation Standards (IVS, IVSC)",
                fr="Normes internationales d'évaluation (IVS, IVSC)",
                es="Normas Internacionales de Valuación (IVS, IVSC)",
                ru="Международные стандарты оценки (МСО/IVS, IVSC)",
            ),
        ),
        (
            "iso_10668",
            t(
                en="ISO 10668 (monetary brand valuation)",
                fr="ISO 10668 (évaluation monétaire d'une marque)",
                es="ISO 10668 (valoración monetaria de marcas)",
                ru="ISO 10668 (денежная оценка бренда)",
            ),
        ),
        (
            "iso_20671",
            t(
                en="ISO 20671 (brand evaluation)",
                fr="ISO 20671 (évaluation de la marque)",
                es="ISO 20671 (evaluación de marcas)",
                ru="ISO 20671 (оценка бренда)",
            ),
        ),
        (
            "din_77100",
            t(
                en="DIN 77100 (patent valuation)",
                fr="DIN 77100 (évaluation des brevets)",
                es="DIN 77100 (valoración de patentes)",
                ru="DIN 77100 (оценка патентов)",
            ),
        ),
        (
            "ifrs",
            t(
                en="Financial reporting standards (IFRS 13, IAS 38)",
                fr="Normes d'information financière (IFRS 13, IAS 38)",
                es="Normas de información financiera (NIIF 13, NIC 38)",
                ru="Стандарты финансовой отчётности (МСФО (IFRS) 13, МСФО (IAS) 38)",
            ),
        ),
        (
            "national_standard",
            t(
                en="A national valuation standard",
                fr="Une norme nationale d'évaluation",
                es="Una norma nacional de valoración",
                ru="Национальный стандарт оценки",
            ),
        ),
        (
            "none",
            t(
                en="No standard is applied",
                fr="Aucune norme n'est appliquée",
                es="No se aplica ninguna norma",
                ru="Стандарты не применяются",
            ),
        ),
        ("dont_know", DONT_KNOW),
        ("other", OTHER),
    ],
    "valuer_requirements": [
        (
            "state_licence",
            t(
                en="A state licence or qualification certificate",
                fr="Une licence ou un certificat de qualification délivré par l'État",
                es="Una licencia o un certificado de cualificación expedido por el Estado",
                ru="Лицензия или квалификационный аттестат государственного образца",
            ),
        ),
        (
            "sro_membership",
            t(
                en="Membership of a self-regulatory organisation of valuers",
                fr="L'adhésion à un organisme d'autorégulation des évaluateurs",
                es="La afiliación a una organización autorreguladora de tasadores",
                ru="Членство в саморегулируемой организации оценщиков",
            ),
        ),
        (
            "professional_certification",
            t(
                en="Voluntary certification by a professional body",
                fr="Une certification volontaire par un organisme professionnel",
                es="Una certificación voluntaria de un organismo profesional",
                ru="Добровольная сертификация профессиональным объединением",
            ),
        ),
        (
            "liability_insurance",
            t(
                en="Professional liability insurance",
                fr="Une assurance de responsabilité civile professionnelle",
                es="Un seguro de responsabilidad civil profesional",
                ru="Страхование профессиональной ответственности",
            ),
        ),
        (
            "ip_specialisation",
            t(
                en="A specific qualification in valuing intangible assets or IP",
                fr="Une qualification spécifique en évaluation des actifs incorporels ou de la PI",
                es="Una cualificación específica en valoración de activos intangibles o de PI",
                ru="Специальная квалификация в области оценки нематериальных активов или ИС",
            ),
        ),
        (
            "none",
            t(
                en="No specific requirement",
                fr="Aucune exigence particulière",
                es="Ningún requisito específico",
                ru="Особых требований нет",
            ),
        ),
        ("dont_know", DONT_KNOW),
    ],
    "providers": [
        (
            "independent_valuers",
            t(
                en="Independent valuers or valuation firms",
                fr="Évaluateurs ou cabinets d'évaluation indépendants",
                es="Tasadores o empresas de tasación independientes",
                ru="Независимые оценщики и оценочные компании",
            ),
        ),
        (
            "audit_firms",
            t(
                en="Audit and consulting firms",
                fr="Cabinets d'audit et de conseil",
                es="Firmas de auditoría y consultoría",
                ru="Аудиторские и консалтинговые компании",
            ),
        ),
        (
            "bank_appraisers",
            t(
                en="Banks' in-house appraisers",
                fr="Services d'évaluation internes des banques",
                es="Tasadores internos de los bancos",
                ru="Штатные оценщики (залоговые службы) банков",
            ),
        ),
        (
            "ip_office",
            t(
                en="The IP office or a body under it",
                fr="L'office de PI ou un organisme qui en relève",
                es="La oficina de PI o un organismo dependiente de ella",
                ru="Ведомство по ИС или подведомственная ему организация",
            ),
        ),
        (
            "tto",
            t(
                en="Technology transfer offices of universities and research institutes",
                fr="Bureaux de transfert de technologie des universités et instituts de recherche",
                es="Oficinas de transferencia de tecnología de universidades y centros de investigación",
                ru="Центры трансфера технологий университетов и научных организаций",
            ),
        ),
        (
            "patent_attorneys",
            t(
                en="Patent and trademark attorneys",
                fr="Conseils en propriété industrielle",
                es="Agentes de la propiedad industrial",
                ru="Патентные поверенные",
            ),
        ),
        ("dont_know", DONT_KNOW),
    ],
    "ip_office_roles": [
        (
            "valuation_services",
            t(
                en="Carries out or commissions valuations",
                fr="Réalise ou commande des évaluations",
                es="Realiza o encarga valoraciones",
                ru="Проводит оценку или заказывает её",
            ),
        ),
        (
            "valuation_funding",
            t(
                en="Pays for or subsidises valuations for right holders (for example vouchers)",
                fr="Finance ou subventionne des évaluations pour les titulaires de droits (par exemple des chèques)",
                es="Financia o subvenciona valoraciones para los titulares de derechos (por ejemplo, bonos)",
                ru="Оплачивает или субсидирует оценку для правообладателей (например, ваучеры)",
            ),
        ),
        (
            "pledge_registration",
            t(
                en="Registers pledges of IP rights",
                fr="Inscrit les nantissements de droits de PI",
                es="Inscribe las garantías sobre derechos de PI",
                ru="Регистрирует залог прав на ИС",
            ),
        ),
        (
            "transaction_data",
            t(
                en="Keeps data on licences and assignments that can be used for valuation",
                fr="Tient des données sur les licences et cessions, utilisables pour l'évaluation",
                es="Mantiene datos sobre licencias y cesiones que pueden utilizarse para la valoración",
                ru="Ведёт данные о лицензионных договорах и договорах отчуждения, пригодные для оценки",
            ),
        ),
        (
            "ip_marketplace",
            t(
                en="Runs an IP marketplace or technology exchange platform",
                fr="Gère une place de marché de la PI ou une bourse de technologies",
                es="Gestiona un mercado de PI o una plataforma de intercambio de tecnología",
                ru="Ведёт площадку (биржу) для сделок с ИС или обмена технологиями",
            ),
        ),
        (
            "training",
            t(
                en="Trains valuers, bankers or right holders",
                fr="Forme des évaluateurs, des banquiers ou des titulaires de droits",
                es="Forma a tasadores, banqueros o titulares de derechos",
                ru="Обучает оценщиков, сотрудников банков или правообладателей",
            ),
        ),
        (
            "none",
            t(
                en="None of these",
                fr="Aucune de ces activités",
                es="Ninguna de estas actividades",
                ru="Ничего из перечисленного",
            ),
        ),
    ],
    "instruments": [
        (
            "ip_backed_loans",
            t(
                en="IP-backed loans",
                fr="Prêts adossés à la PI",
                es="Préstamos garantizados con PI",
                ru="Кредиты под залог ИС",
            ),
        ),
        (
            "loan_guarantees",
            t(
                en="Loan guarantees or risk-sharing with lenders",
                fr="Garanties de prêt ou partage des risques avec les prêteurs",
                es="Garantías de préstamo o riesgo compartido con los prestamistas",
                ru="Гарантии по кредитам или разделение рисков с кредиторами",
            ),
        ),
        (
            "securitisation",
            t(
                en="Securitisation of IP or royalties",
                fr="Titrisation de la PI ou des redevances",
                es="Titulización de PI o de regalías",
                ru="Секьюритизация ИС или роялти",
            ),
        ),
        (
            "sale_licence_back",
            t(
                en="Sale and licence-back",
                fr="Cession avec licence en retour (sale and licence back)",
                es="Venta con licencia de retorno (sale and licence back)",
                ru="Продажа прав с обратной лицензией (sale and licence back)",
            ),
        ),
        (
            "royalty_financing",
            t(
                en="Royalty-based financing",
                fr="Financement fondé sur les redevances",
                es="Financiación basada en regalías",
                ru="Финансирование под будущие роялти",
            ),
        ),
        (
            "licensing",
            t(
                en="Licensing programmes (for example licensing platforms, model licence agreements)",
                fr="Programmes de concession de licences (par exemple plateformes de licences, contrats types)",
                es="Programas de concesión de licencias (por ejemplo, plataformas de licencias, contratos modelo)",
                ru="Программы лицензирования (например, лицензионные платформы, типовые лицензионные договоры)",
            ),
        ),
        (
            "ip_funds",
            t(
                en="IP funds or venture debt",
                fr="Fonds de PI ou dette de capital-risque (venture debt)",
                es="Fondos de PI o deuda de riesgo (venture debt)",
                ru="Фонды ИС или венчурное кредитование (venture debt)",
            ),
        ),
        (
            "ip_insurance",
            t(
                en="IP insurance (of IP assets or of IP-backed loans)",
                fr="Assurance de la PI (des actifs de PI ou des prêts adossés à la PI)",
                es="Seguros de PI (de los activos de PI o de los préstamos garantizados con PI)",
                ru="Страхование ИС (самих активов или кредитов под залог ИС)",
            ),
        ),
        (
            "valuation_vouchers",
            t(
                en="Vouchers or subsidies for IP valuation",
                fr="Chèques ou subventions pour l'évaluation de la PI",
                es="Bonos o subvenciones para la valoración de PI",
                ru="Ваучеры или субсидии на оценку ИС",
            ),
        ),
        ("other", OTHER),
    ],
    "default_outcomes": [
        (
            "public_auction",
            t(
                en="It is sold at public auction",
                fr="Elle est vendue aux enchères publiques",
                es="Se vende en subasta pública",
                ru="Продаётся с публичных торгов",
            ),
        ),
        (
            "private_sale",
            t(
                en="It is sold privately, out of court",
                fr="Elle est vendue à l'amiable, hors procédure judiciaire",
                es="Se vende de forma privada, extrajudicialmente",
                ru="Реализуется во внесудебном порядке",
            ),
        ),
        (
            "recovery_fund",
            t(
                en="A public fund or agency buys it (recovery fund)",
                fr="Un fonds ou un organisme public la rachète (fonds de recouvrement)",
                es="La adquiere un fondo u organismo público (fondo de recuperación)",
                ru="Выкупается специальным государственным фондом или организацией",
            ),
        ),
        (
            "lender_keeps",
            t(
                en="The lender keeps it",
                fr="Le prêteur la conserve",
                es="Se la queda el prestamista",
                ru="Переходит к кредитору",
            ),
        ),
        (
            "licensed_out",
            t(
                en="It is licensed to third parties to repay the debt",
                fr="Elle est concédée en licence à des tiers pour rembourser la dette",
                es="Se licencia a terceros para saldar la deuda",
                ru="Передаётся по лицензии третьим лицам для погашения долга",
            ),
        ),
        (
            "no_cases",
            t(
                en="There have been no such cases yet",
                fr="Aucun cas ne s'est encore présenté",
                es="Todavía no se han dado casos",
                ru="Таких случаев пока не было",
            ),
        ),
        ("dont_know", DONT_KNOW),
    ],
    "stakeholders": [
        ("ip_office", t(en="IP office", fr="Office de PI", es="Oficina de PI", ru="Ведомство по ИС")),
        ("bank", t(en="Bank", fr="Banque", es="Banco", ru="Банк")),
        (
            "guarantee_fund",
            t(en="Guarantee fund", fr="Fonds de garantie", es="Fondo de garantía", ru="Гарантийный фонд"),
        ),
        ("sme", t(en="SME or start-up", fr="PME ou start-up", es="Pyme o empresa emergente", ru="МСП или стартап")),
        (
            "university",
            t(
                en="University or research institute",
                fr="Université ou institut de recherche",
                es="Universidad o centro de investigación",
                ru="Университет или научная организация",
            ),
        ),
        ("valuer", t(en="Valuer", fr="Évaluateur", es="Tasador", ru="Оценщик")),
        ("investor", t(en="Investor", fr="Investisseur", es="Inversor", ru="Инвестор")),
        (
            "government_agency",
            t(
                en="Government agency",
                fr="Organisme public",
                es="Organismo público",
                ru="Государственный орган или агентство",
            ),
        ),
    ],
    "outcomes": [
        ("successful", t(en="Successful", fr="Réussite", es="Exitoso", ru="Успешный")),
        (
            "partly_successful",
            t(en="Partly successful", fr="Réussite partielle", es="Parcialmente exitoso", ru="Частично успешный"),
        ),
        ("unsuccessful", t(en="Unsuccessful", fr="Échec", es="Sin éxito", ru="Неуспешный")),
        (
            "ongoing",
            t(
                en="Ongoing: too early to tell",
                fr="En cours : trop tôt pour conclure",
                es="En curso: es pronto para valorarlo",
                ru="Продолжается, выводы делать рано",
            ),
        ),
    ],
    "disclosure": [
        (
            "named",
            t(
                en="Yes, naming the parties and the source",
                fr="Oui, en citant les parties et la source",
                es="Sí, indicando las partes y la fuente",
                ru="Да, с указанием участников и источника",
            ),
        ),
        (
            "anonymised",
            t(
                en="Yes, but without naming the parties",
                fr="Oui, mais sans nommer les parties",
                es="Sí, pero sin identificar a las partes",
                ru="Да, но без указания участников",
            ),
        ),
        (
            "internal",
            t(
                en="No, only for the project team's analysis",
                fr="Non, uniquement pour l'analyse de l'équipe du projet",
                es="No, solo para el análisis del equipo del proyecto",
                ru="Нет, только для анализа командой проекта",
            ),
        ),
    ],
    "legal_obstacles": [
        (
            "pledge_law",
            t(
                en="The law does not allow IP to be pledged, or is unclear about it",
                fr="La loi ne permet pas de nantir la PI, ou n'est pas claire à ce sujet",
                es="La ley no permite dar la PI en garantía o no es clara al respecto",
                ru="Закон не допускает залог ИС или регулирует его неясно",
            ),
        ),
        (
            "no_register",
            t(
                en="No register for security interests in IP, or an inadequate one",
                fr="Absence de registre des sûretés sur la PI, ou registre inadapté",
                es="No existe un registro de garantías sobre PI, o es inadecuado",
                ru="Нет реестра залогов ИС или он не отвечает потребностям",
            ),
        ),
        (
            "enforcement",
            t(
                en="Enforcing on IP collateral after default is slow or uncertain",
                fr="La réalisation d'une sûreté sur la PI après une défaillance est lente ou incertaine",
                es="La ejecución de una garantía sobre PI tras un incumplimiento es lenta o incierta",
                ru="Обращение взыскания на заложенную ИС занимает много времени или его исход непредсказуем",
            ),
        ),
        (
            "bank_regulation",
            t(
                en="Banking regulation does not recognise IP as eligible collateral",
                fr="La réglementation bancaire ne reconnaît pas la PI comme garantie admissible",
                es="La regulación bancaria no reconoce la PI como garantía admisible",
                ru="Банковское регулирование не признаёт ИС приемлемым обеспечением",
            ),
        ),
        (
            "no_valuation_rules",
            t(
                en="No legal basis or standard for IP valuation",
                fr="Absence de base juridique ou de norme pour l'évaluation de la PI",
                es="No existe base jurídica ni norma para la valoración de la PI",
                ru="Нет правовой основы или стандарта для оценки ИС",
            ),
        ),
        (
            "accounting",
            t(
                en="Accounting rules limit the recognition of IP as an asset",
                fr="Les règles comptables limitent l'inscription de la PI à l'actif",
                es="Las normas contables limitan el reconocimiento de la PI como activo",
                ru="Правила бухгалтерского учёта ограничивают признание ИС в качестве актива",
            ),
        ),
        (
            "ownership",
            t(
                en="Unclear ownership of IP (for example IP created with public funds or by employees)",
                fr="Titularité incertaine de la PI (par exemple créée sur fonds publics ou par des salariés)",
                es="Titularidad incierta de la PI (por ejemplo, creada con fondos públicos o por empleados)",
                ru="Неопределённость в принадлежности прав на ИС (например, на служебные результаты или созданные "
                "за счёт бюджетных средств)",
            ),
        ),
        (
            "tax",
            t(
                en="Unfavourable tax treatment",
                fr="Traitement fiscal défavorable",
                es="Tratamiento fiscal desfavorable",
                ru="Неблагоприятный налоговый режим",
            ),
        ),
        (
            "none",
            t(
                en="No significant legal obstacles",
                fr="Aucun obstacle juridique important",
                es="Ningún obstáculo jurídico importante",
                ru="Существенных правовых препятствий нет",
            ),
        ),
        ("other", OTHER),
    ],
    "technical_obstacles": [
        (
            "no_methodology",
            t(
                en="No recognised methodology for valuing IP",
                fr="Absence de méthodologie reconnue pour évaluer la PI",
                es="No existe una metodología reconocida para valorar la PI",
                ru="Нет общепризнанной методики оценки ИС",
            ),
        ),
        (
            "lack_of_data",
            t(
                en="Lack of market data (comparable transactions, royalty rates)",
                fr="Manque de données de marché (transactions comparables, taux de redevance)",
                es="Falta de datos de mercado (transacciones comparables, tasas de regalías)",
                ru="Недостаток рыночных данных (сделки-аналоги, ставки роялти)",
            ),
        ),
        (
            "few_valuers",
            t(
                en="Too few qualified valuers",
                fr="Trop peu d'évaluateurs qualifiés",
                es="Muy pocos tasadores cualificados",
                ru="Мало квалифицированных оценщиков",
            ),
        ),
        (
            "valuation_cost",
            t(
                en="Valuations are too expensive for SMEs",
                fr="Les évaluations sont trop coûteuses pour les PME",
                es="Las valoraciones son demasiado caras para las pymes",
                ru="Оценка слишком дорога для МСП",
            ),
        ),
        (
            "low_trust",
            t(
                en="Lenders do not trust valuations, and valuers' results diverge",
                fr="Les prêteurs se fient peu aux évaluations, et les résultats des évaluateurs divergent",
                es="Los prestamistas no confían en las valoraciones y los resultados de los tasadores difieren",
                ru="Кредиторы не доверяют результатам оценки, а выводы разных оценщиков сильно расходятся",
            ),
        ),
        (
            "no_secondary_market",
            t(
                en="No secondary market in which to sell IP",
                fr="Absence de marché secondaire pour revendre la PI",
                es="No hay un mercado secundario en el que vender la PI",
                ru="Нет вторичного рынка для реализации ИС",
            ),
        ),
        (
            "ip_quality",
            t(
                en="Difficulty judging the legal and technical strength of IP",
                fr="Difficulté à apprécier la solidité juridique et technique de la PI",
                es="Dificultad para evaluar la solidez jurídica y técnica de la PI",
                ru="Сложно оценить правовую и техническую надёжность ИС",
            ),
        ),
        (
            "none",
            t(
                en="No significant technical obstacles",
                fr="Aucun obstacle technique important",
                es="Ningún obstáculo técnico importante",
                ru="Существенных технических препятствий нет",
            ),
        ),
        ("other", OTHER),
    ],
    "organisational_obstacles": [
        (
            "low_awareness",
            t(
                en="SMEs and universities know little about the value of their IP",
                fr="Les PME et les universités connaissent mal la valeur de leur PI",
                es="Las pymes y las universidades conocen poco el valor de su PI",
                ru="МСП и университеты слабо представляют ценность своей ИС",
            ),
        ),
        (
            "bank_expertise",
            t(
                en="Banks lack the expertise or the appetite for IP risk",
                fr="Les banques manquent d'expertise ou d'appétit pour le risque lié à la PI",
                es="Los bancos carecen de conocimientos o de disposición a asumir riesgos vinculados a la PI",
                ru="У банков нет компетенций или готовности принимать риски, связанные с ИС",
            ),
        ),
        (
            "no_coordination",
            t(
                en="Weak coordination between the IP office, ministries, the central bank and lenders",
                fr="Coordination insuffisante entre l'office de PI, les ministères, la banque centrale et les prêteurs",
                es="Coordinación insuficiente entre la oficina de PI, los ministerios, el banco central y los "
                "prestamistas",
                ru="Слабая координация между ведомством по ИС, министерствами, центральным банком и кредиторами",
            ),
        ),
        (
            "no_public_support",
            t(
                en="No public programme or funding",
                fr="Absence de programme ou de financement public",
                es="No hay programas ni financiación públicos",
                ru="Нет государственных программ или финансирования",
            ),
        ),
        (
            "weak_tto",
            t(
                en="Weak technology transfer offices",
                fr="Bureaux de transfert de technologie peu développés",
                es="Oficinas de transferencia de tecnología poco desarrolladas",
                ru="Слабые центры трансфера технологий",
            ),
        ),
        (
            "no_statistics",
            t(
                en="No statistics on IP transactions and IP-backed finance",
                fr="Absence de statistiques sur les transactions de PI et le financement adossé à la PI",
                es="No hay estadísticas sobre transacciones de PI ni sobre financiación garantizada con PI",
                ru="Нет статистики по сделкам с ИС и финансированию под залог ИС",
            ),
        ),
        (
            "none",
            t(
                en="No significant organisational obstacles",
                fr="Aucun obstacle organisationnel important",
                es="Ningún obstáculo organizativo importante",
                ru="Существенных организационных препятствий нет",
            ),
        ),
        ("other", OTHER),
    ],
    "severity": [
        ("1", t(en="1 – minor", fr="1 – mineurs", es="1 – menores", ru="1 — несущественные")),
        ("2", t(en="2", fr="2", es="2", ru="2")),
        ("3", t(en="3", fr="3", es="3", ru="3")),
        ("4", t(en="4", fr="4", es="4", ru="4")),
        ("5", t(en="5 – prohibitive", fr="5 – rédhibitoires", es="5 – insalvables", ru="5 — непреодолимые")),
    ],
    "support": [
        (
            "legislation",
            t(
                en="Advice on legislation and regulation",
                fr="Conseils sur la législation et la réglementation",
                es="Asesoramiento sobre legislación y regulación",
                ru="Консультации по законодательству и регулированию",
            ),
        ),
        (
            "methodology",
            t(
                en="Valuation guidelines and tools",
                fr="Lignes directrices et outils d'évaluation",
                es="Directrices y herramientas de valoración",
                ru="Методические рекомендации и инструменты оценки",
            ),
        ),
        (
            "training",
            t(
                en="Training for valuers, bankers and IP office staff",
                fr="Formation des évaluateurs, des banquiers et du personnel de l'office de PI",
                es="Formación para tasadores, banqueros y personal de la oficina de PI",
                ru="Обучение оценщиков, банковских специалистов и сотрудников ведомства по ИС",
            ),
        ),
        (
            "pilot",
            t(
                en="Help designing a pilot IP-backed financing scheme",
                fr="Aide à la conception d'un dispositif pilote de financement adossé à la PI",
                es="Ayuda para diseñar un programa piloto de financiación garantizada con PI",
                ru="Помощь в разработке пилотной программы финансирования под залог ИС",
            ),
        ),
        (
            "data",
            t(
                en="Data on transactions and royalty rates",
                fr="Données sur les transactions et les taux de redevance",
                es="Datos sobre transacciones y tasas de regalías",
                ru="Данные о сделках и ставках роялти",
            ),
        ),
        (
            "exchange",
            t(
                en="Exchange of experience with other countries",
                fr="Échanges d'expériences avec d'autres pays",
                es="Intercambio de experiencias con otros países",
                ru="Обмен опытом с другими странами",
            ),
        ),
    ],
}


# --------------------------------------------------------------------------------------------------- the writer

# French typography: a narrow no-break space before ; ! ? : and inside « ». (pyxform turns the ordinary no-break
# space, U+00A0, into a space when it reads a workbook, so U+202F is used throughout.)
_FRENCH_SPACES = (
    (" ;", "\u202f;"),
    (" !", "\u202f!"),
    (" ?", "\u202f?"),
    (" :", "\u202f:"),
    ("« ", "«\u202f"),
    (" »", "\u202f»"),
)


def _typeset(language: str, text: str) -> str:
    if language == "fr":
        for plain, spaced in _FRENCH_SPACES:
            text = text.replace(plain, spaced)
    return text


def _texts(where: str, column: str, value: Text | None) -> list[str]:
    """The cells of a translated column, one per language; every language or none must be given."""
    if not value:
        return [""] * len(LANGUAGES)
    missing = [code for code in LANGUAGES if not str(value.get(code, "")).strip()]
    if missing or set(value) - set(LANGUAGES):
        raise ValueError(f"{where}: {column} must be given in {', '.join(LANGUAGES)} exactly (missing {missing})")
    return [_typeset(code, value[code]) for code in LANGUAGES]


def check(survey: list[dict[str, Any]], choices: dict[str, list[tuple[str, Text]]]) -> None:
    """Refuse duplicate names, lists without choices and select questions naming an unknown list."""
    names: set[str] = set()
    for row in survey:
        name = row.get("name")
        if name:
            if name in names:
                raise ValueError(f"duplicate name {name!r}")
            names.add(name)
        kind = row["type"].split()
        if kind[0] in ("select_one", "select_multiple") and kind[1] not in choices:
            raise ValueError(f"{name}: no choice list {kind[1]!r}")
    for list_name, options in choices.items():
        option_names = [option for option, _label in options]
        if not options or len(set(option_names)) != len(option_names):
            raise ValueError(f"choice list {list_name!r} is empty or repeats a name")


def build() -> bytes:
    """The questionnaire as XLSForm workbook bytes."""
    check(SURVEY, CHOICES)
    book = Workbook()
    survey_sheet = book.active or book.create_sheet()
    survey_sheet.title = "survey"
    headers = [f"{column}::{language}" for column in TRANSLATED_COLUMNS for language in LANGUAGES.values()]
    survey_sheet.append(["type", "name", *headers, *PLAIN_COLUMNS])
    for row in SURVEY:
        where = row.get("name") or row["type"]
        cells = [row["type"], row.get("name", "")]
        for column in TRANSLATED_COLUMNS:
            cells += _texts(where, column, row.get(column))
        cells += [row.get(column, "") for column in PLAIN_COLUMNS]
        survey_sheet.append(cells)

    choice_sheet = book.create_sheet("choices")
    choice_sheet.append(["list_name", "name", *(f"label::{language}" for language in LANGUAGES.values())])
    for list_name, options in CHOICES.items():
        for name, label in options:
            choice_sheet.append([list_name, name, *_texts(f"{list_name}/{name}", "label", label)])

    settings_sheet = book.create_sheet("settings")
    settings_sheet.append(list(SETTINGS))
    settings_sheet.append(list(SETTINGS.values()))

    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


#: Survey row types that are not questions (structure, notes, computed values).
NOT_QUESTIONS = {"begin_group", "end_group", "begin_repeat", "end_repeat", "note", "calculate"}


def main() -> int:
    OUTPUT.parent.mkdir(parents=True, exist_ok=True)
    OUTPUT.write_bytes(build())
    questions = sum(1 for row in SURVEY if row["type"].split()[0] not in NOT_QUESTIONS)
    print(f"wrote {OUTPUT.relative_to(REPO_ROOT)}: {questions} questions in {', '.join(LANGUAGES)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
