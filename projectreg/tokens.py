"""API tokens end with the password and the account: a change of either revokes the user's tokens.

SPEC section 6: changing a user's password or deactivating the user revokes their tokens
(django-rest-knox's AuthToken rows), whichever path saves the user (admin, add_user, a page).
"""

from django.conf import settings
from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver
from knox.models import AuthToken

REVOKE_FLAG = "_ops_revoke_tokens"


@receiver(pre_save, sender=settings.AUTH_USER_MODEL, dispatch_uid="ops_tokens_pre_save")
def note_credential_change(sender, instance, raw=False, update_fields=None, **kwargs):
    """Before a user is saved: remember whether the password changed or the account was deactivated."""
    if raw or instance.pk is None:
        return
    if update_fields is not None and not {"password", "is_active"} & set(update_fields):
        return  # e.g. last_login on every log-in: no extra query
    before = sender.objects.filter(pk=instance.pk).values("password", "is_active").first()
    if before is None:
        return
    changed = before["password"] != instance.password or (before["is_active"] and not instance.is_active)
    setattr(instance, REVOKE_FLAG, changed)


@receiver(post_save, sender=settings.AUTH_USER_MODEL, dispatch_uid="ops_tokens_post_save")
def revoke_tokens(sender, instance, raw=False, **kwargs):
    """After the save: delete the user's tokens if the password changed or the account was deactivated."""
    if not raw and getattr(instance, REVOKE_FLAG, False):
        AuthToken.objects.filter(user=instance).delete()
        setattr(instance, REVOKE_FLAG, False)
