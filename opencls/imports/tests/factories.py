import factory
from factory.django import DjangoModelFactory

from opencls.imports.models import DocumentImport
from opencls.testing.factories import UserFactory


def minimal_data(title: str = "Contrat local de santé de Testville", territory: str = "Testville") -> dict:
    return {
        "schema_version": "1",
        "contract": {
            "kind": "cls",
            "title": title,
            "territory": {"name": territory, "kind": "municipality", "stated": {}},
            "signatories": [],
            "axes": [
                {
                    "code": "1",
                    "title": "Accès aux soins",
                    "actions": [
                        {"code": "1.1", "title": "Attirer des médecins", "operations": [{"title": "Stages"}]}
                    ],
                }
            ],
        },
        "not_imported": [{"where": "Préambule", "text": "Vu le code de la santé publique"}],
        "warnings": ["Le document annonce 2 actions ; 1 a été trouvée."],
        "extensions": {"imports": {"checks": [], "source": {"format": "texte", "pages": None}}},
    }


class DocumentImportFactory(DjangoModelFactory):
    class Meta:
        model = DocumentImport

    user = factory.SubFactory(UserFactory)
    filename = factory.Sequence(lambda n: f"contrat-{n}.docx")
    file_format = "Word"
    size = 1000
    data = factory.LazyFunction(minimal_data)
