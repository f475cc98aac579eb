from rest_framework import permissions

from opencls.accounts.permissions import can


class ContractPermission(permissions.BasePermission):
    """DRF face of `opencls.accounts.permissions.can`: views name the codes they need."""

    def has_permission(self, request, view):
        return request.user.is_authenticated

    def has_object_permission(self, request, view, obj):
        if request.method in permissions.SAFE_METHODS:
            return can(request.user, "contract.view", obj)
        return can(request.user, getattr(view, "write_permission", "contract.change"), obj)
