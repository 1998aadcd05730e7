"""Password sign-in without Django's per-user and group permissions.

What a member of staff may do comes from their role alone (the `rules` permissions each app
declares in rules.py); nobody is a superuser and the admin grants no per-user permissions. So
this backend checks passwords as Django's does and answers no permission question, which also
saves the permission queries on every staff page."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend


class PasswordBackend(ModelBackend):
    def get_user_permissions(self, user_obj: Any, obj: Any = None) -> set[str]:
        return set()

    def get_group_permissions(self, user_obj: Any, obj: Any = None) -> set[str]:
        return set()

    def get_all_permissions(self, user_obj: Any, obj: Any = None) -> set[str]:
        return set()

    def has_perm(self, user_obj: Any, perm: str, obj: Any = None) -> bool:
        return False

    def has_module_perms(self, user_obj: Any, app_label: str) -> bool:
        return False
