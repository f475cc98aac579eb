"""The CLS themes, seeded as data (an administrator may adjust labels and keywords later)."""

from django.db import migrations

THEMES = [
    (
        "acces-aux-soins",
        "Accès aux soins",
        "accès aux soins\noffre de soins\nmédecin\nmédecins généralistes\nmédecine générale\n"
        "démographie médicale\ndésert médical\nprofessionnels de santé\ninstallation des professionnels\n"
        "maison de santé\nMSP\nCPTS\ncentre de santé\npremier recours\ntélémédecine\ntéléconsultation\n"
        "médecin traitant\nparcours de soins\nurgences",
    ),
    (
        "sante-mentale",
        "Santé mentale",
        "santé mentale\npsychique\npsychiatrie\npsychiatrique\nCLSM\nCISM\nsouffrance psychique\n"
        "suicide\nprévention du suicide\npremiers secours en santé mentale\nPSSM\npsychologue\n"
        "troubles psychiques\nbien-être psychologique\nGEM\ndépression\npsychotraumatisme",
    ),
    (
        "addictions",
        "Addictions",
        "addiction\naddictologie\nconduites addictives\nalcool\ntabac\ntabagisme\ndrogue\ncannabis\n"
        "substances psychoactives\nCSAPA\nconsultation jeunes consommateurs\nréduction des risques\n"
        "mois sans tabac",
    ),
    (
        "nutrition-activite-physique",
        "Nutrition et activité physique",
        "nutrition\nalimentation\nalimentaire\nobésité\nsurpoids\nactivité physique\nsport santé\n"
        "sédentarité\nPNNS\nmaison sport santé\nmanger\ncuisine",
    ),
    (
        "sante-environnement",
        "Santé environnement",
        "santé environnement\nsanté environnementale\nenvironnement\nqualité de l'air\npollution\nhabitat\ninsalubre\n"
        "habitat indigne\nhabitat insalubre\nlogement insalubre\nradon\nbruit\nqualité de l'eau\n"
        "perturbateurs endocriniens\nmoustique tigre\nambroisie\nfortes chaleurs\nclimat\nurbanisme favorable",
    ),
    (
        "vaccination",
        "Vaccination",
        "vaccination\nvaccin\ncouverture vaccinale\nrougeole\npapillomavirus\nHPV\ngrippe\nrappels vaccinaux",
    ),
    (
        "depistages",
        "Dépistages",
        "dépistage\ndépistages organisés\ncancer\nmammographie\ncolorectal\ncol de l'utérus\noctobre rose\n"
        "mars bleu\nVIH\nIST\nhépatite\nsérologie",
    ),
    (
        "perinatalite",
        "Périnatalité et petite enfance",
        "périnatalité\npérinatal\ngrossesse\nfemmes enceintes\nmaternité\nnaissance\nparentalité\nPMI\n"
        "petite enfance\nnourrisson\nallaitement\n1000 premiers jours\nsage-femme",
    ),
    (
        "vieillissement",
        "Vieillissement et autonomie",
        "vieillissement\npersonnes âgées\nseniors\nperte d'autonomie\nautonomie\naidants\naidant\n"
        "dépendance\nEHPAD\nchutes\nmaintien à domicile\nbien vieillir",
    ),
    (
        "precarite",
        "Précarité et accès aux droits",
        "précarité\nprécaires\npauvreté\naccès aux droits\nouverture des droits\nPASS\n"
        "complémentaire santé\nrenoncement aux soins\nsans domicile\nhébergement\nmigrants\n"
        "personnes vulnérables\npublics vulnérables\nminima sociaux\ninsertion\nmédiation en santé\n"
        "médiateur santé",
    ),
    (
        "sante-des-jeunes",
        "Santé des jeunes",
        "jeunes\nadolescents\nadolescence\nélèves\ncollège\ncollégiens\nlycée\nlycéens\n"
        "milieu scolaire\nétudiants\nmission locale\nenfants",
    ),
    (
        "sante-sexuelle",
        "Santé sexuelle et vie affective",
        "santé sexuelle\nsexualité\nvie affective\ncontraception\nIVG\néducation à la sexualité",
    ),
    (
        "maladies-chroniques",
        "Maladies chroniques",
        "maladies chroniques\nmaladie chronique\ndiabète\ncardiovasculaire\néducation thérapeutique\nETP\n"
        "asthme\ninsuffisance rénale\ninsuffisance cardiaque",
    ),
    (
        "handicap",
        "Handicap",
        "handicap\nsituation de handicap\npersonnes handicapées\nMDPH\ninclusion",
    ),
    (
        "violences",
        "Violences",
        "violences\nviolences intrafamiliales\nviolences conjugales\nviolences faites aux femmes\nharcèlement",
    ),
    (
        "bucco-dentaire",
        "Santé bucco-dentaire",
        "bucco-dentaire\nbucco dentaire\ndentaire\ndentiste\nhygiène dentaire",
    ),
    (
        "coordination",
        "Coordination, observation et animation",
        "coordination du CLS\ncoordination territoriale\nanimation territoriale\ndiagnostic local\n"
        "observatoire\nobservation de la santé\nannuaire\ncartographie des acteurs\n"
        "interconnaissance",
    ),
]


def seed(apps, schema_editor):
    Theme = apps.get_model("region", "Theme")
    for position, (code, label, keywords) in enumerate(THEMES):
        Theme.objects.update_or_create(
            code=code, defaults={"label": label, "keywords": keywords, "position": position}
        )


def unseed(apps, schema_editor):
    apps.get_model("region", "Theme").objects.filter(code__in=[code for code, _l, _k in THEMES]).delete()


class Migration(migrations.Migration):
    dependencies = [("region", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
