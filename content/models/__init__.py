"""Study material: laws and their articles, discretion benchmarks, document templates,
courses and lessons, training events, and the study records of officers."""
from .pages import SignedInPage, StudyIndexPage  # noqa: F401
from .laws import Article, LawPage, LawStatus  # noqa: F401
from .benchmarks import (  # noqa: F401
    BandLevel, BenchmarkBand, BenchmarkItem, DiscretionBenchmarkPage)
from .materials import (  # noqa: F401
    CoursePage, DocumentTemplatePage, LessonAttachment, LessonCheckQuestion, LessonPage,
    SelfCheckQuestionLink, check_self_check_question)
from .training import Attendance, TrainingEventPage  # noqa: F401
from .study import Assignment, RequirementKind, StudyRecord, StudyRequirement  # noqa: F401
