from django.apps import AppConfig


class DisclosureConfig(AppConfig):
    name = "disclosure"
    verbose_name = "依申请公开"

    def ready(self):
        from disclosure.search_documents import register_search_documents
        from disclosure.selectors import applicant_case_rows, case_inquiry
        from services_hall.registries import CaseKind, case_kind_register

        case_kind_register(case_kind=CaseKind(name="disclosure", applicant_rows=applicant_case_rows,
                                              inquire=case_inquiry))
        register_search_documents()
