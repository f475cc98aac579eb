from django.db import models

from opencls.contracts.models import Contract


class DemoContract(models.Model):
    """Which seed document a demo contract came from, so the demo loads each seed once."""

    contract = models.OneToOneField(Contract, on_delete=models.CASCADE, related_name="demo_source")
    filename = models.CharField(max_length=200, unique=True)

    def __str__(self):
        return self.filename
