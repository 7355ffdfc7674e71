from django.core.management.base import BaseCommand, CommandError

from backbone.assessments.loader import QUESTIONNAIRES_DIR, QuestionnaireFileError, load_all


class Command(BaseCommand):
    help = (
        "Check the questionnaire files against the loaded frameworks and store them, all or "
        "none (one questionnaire per slug). Load the frameworks first."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dir",
            dest="directory",
            help=f"Read the questionnaire files from DIR instead of {QUESTIONNAIRES_DIR}.",
        )

    def handle(self, *args, directory=None, **options):
        try:
            questionnaires = load_all(directory)
        except QuestionnaireFileError as exc:
            raise CommandError(str(exc)) from exc
        if not questionnaires:
            self.stdout.write(f"No questionnaire files in {directory or QUESTIONNAIRES_DIR}.")
        for questionnaire in questionnaires:
            items = questionnaire.data["items"]
            elements = len({item["element"] for item in items})
            self.stdout.write(
                f"Loaded {questionnaire.name} ({questionnaire.slug}, version "
                f"{questionnaire.version}) from {questionnaire.source_file}: {len(items)} items "
                f"on {elements} elements."
            )
