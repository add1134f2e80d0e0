from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KnowledgeConfig(AppConfig):
    name = "ipvalue.knowledge"
    label = "knowledge"
    verbose_name = _("Knowledge base")

    def ready(self) -> None:
        from ipvalue.knowledge import audit  # noqa: F401  (registers models with the audit log)
        from ipvalue.knowledge.from_questionnaire import on_response_submitted
        from ipvalue.surveys.signals import response_submitted

        response_submitted.connect(on_response_submitted, dispatch_uid="knowledge_from_questionnaire")
