from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from exams.importing import export_questions
from exams.models import Category, Question


class Command(BaseCommand):
    help = "Export top-level questions (with their case sub-questions) to xlsx, Moodle XML or GIFT."

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=["xlsx", "moodlexml", "gift"], required=True)
        parser.add_argument("--category", default="", help='A category path, e.g. "通用法律".')
        parser.add_argument("-o", "--output", required=True)

    def handle(self, *args, format, category, output, **options):
        questions = Question.objects.top_level().select_related("category").prefetch_related(
            "options", "tags").order_by("category__path", "pk")
        if category:
            names = [name for name in category.split("/") if name]
            node = None
            for name in names:
                pool = Category.get_root_nodes() if node is None else node.get_children()
                node = pool.filter(name=name).first()
                if node is None:
                    raise CommandError(f"no category {category!r}")
            questions = questions.filter(category__path__startswith=node.path)
        data = export_questions(questions, format)
        Path(output).write_bytes(data)
        self.stdout.write(f"wrote {questions.count()} questions to {output}")
