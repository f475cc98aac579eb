from django.db.models import Prefetch
from rest_framework import generics

from opencls.accounts.permissions import get_contract_or_404, visible_contracts
from opencls.actions.models import Action, ActionOrganisation, Operation, OperationOrganisation
from opencls.api.serializers import ActionSerializer, ContractSerializer


class ContractList(generics.ListAPIView):
    """Contracts the user reads in full (roles, or every contract of an ARS agent's region)."""

    serializer_class = ContractSerializer

    def get_queryset(self):
        return visible_contracts(self.request.user).order_by("pk")


class ContractDetail(generics.RetrieveUpdateAPIView):
    serializer_class = ContractSerializer
    write_permission = "contract.change"

    def get_object(self):
        contract = get_contract_or_404(self.request.user, self.kwargs["pk"])
        self.check_object_permissions(self.request, contract)
        return contract


class ContractActionList(generics.ListAPIView):
    """The actions of one contract, scoped by the contract read from the database."""

    serializer_class = ActionSerializer

    def get_queryset(self):
        contract = get_contract_or_404(self.request.user, self.kwargs["pk"])
        involvements = ActionOrganisation.objects.select_related("organisation")
        return (
            Action.objects.filter(contract=contract)
            .select_related("axis")
            .prefetch_related(
                Prefetch("involvements", queryset=involvements),
                Prefetch(
                    "operations",
                    queryset=Operation.objects.prefetch_related(
                        Prefetch(
                            "involvements",
                            queryset=OperationOrganisation.objects.select_related("organisation"),
                        )
                    ),
                ),
            )
        )
