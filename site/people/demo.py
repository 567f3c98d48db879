"""Demo organisation: a city corps, 4 detachments, 12 brigades, ~300 officers, role accounts."""
import datetime as dt
import random

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction

from .models import Officer, OfficerStatus, Unit, UnitLevel
from .roles import Role

DEMO_PASSWORD = "Lianbing@2026"
CORPS = ("JZ", "江州市文化市场综合执法总队")
DETACHMENTS = [
    ("JZ-01", "第一支队（东城区）"),
    ("JZ-02", "第二支队（西城区）"),
    ("JZ-03", "第三支队（南湖区）"),
    ("JZ-04", "第四支队（北山区）"),
]
BRIGADE_KINDS = ["网络文化执法大队", "娱乐演出执法大队", "出版文物执法大队"]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉萍红建文辉力宇浩凯鹏飞晨欣怡雪梅琳丹峰波宁博志国东海鑫帅婷慧倩颖佳瑞琦晓莉斌俊亮新斌云松涵婧雯思源嘉"
POSITIONS = ["执法队员"] * 8 + ["中队长", "副中队长", "法制员", "内勤"]

# One account per role (user name, display name, role, unit code). The admin is a
# superuser; every account also has an officer profile so it belongs to a unit.
DEMO_ACCOUNTS = [
    ("officer", "陈晓明", Role.OFFICER, "JZ-01-1"),
    ("trainer", "林海燕", Role.TRAINER, "JZ"),
    ("organizer", "周建国", Role.ORGANIZER, "JZ"),
    ("judge", "郑国华", Role.JUDGE, "JZ-02"),
    ("manager", "王振华", Role.MANAGER, "JZ-01"),
    ("admin", "系统管理员", Role.ADMIN, "JZ"),
]


def seed_units():
    """Create (or keep) the demo unit tree; return {code: Unit}."""
    units = {u.code: u for u in Unit.objects.filter(code__startswith="JZ")}
    if CORPS[0] not in units:
        units[CORPS[0]] = Unit.add_root(code=CORPS[0], name=CORPS[1], short_name="总队",
                                        level=UnitLevel.CORPS)
    for code, name in DETACHMENTS:
        if code not in units:
            units[code] = units[CORPS[0]].add_child(code=code, name=name, level=UnitLevel.DETACHMENT)
            units[CORPS[0]].refresh_from_db()
        for index, kind in enumerate(BRIGADE_KINDS, start=1):
            brigade_code = f"{code}-{index}"
            if brigade_code not in units:
                units[brigade_code] = units[code].add_child(
                    code=brigade_code, name=name.split("（")[0] + kind, level=UnitLevel.BRIGADE)
                units[code].refresh_from_db()
    return units


def _name(rng):
    given = rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.7 else "")
    return rng.choice(SURNAMES) + given


@transaction.atomic
def seed(officers_per_brigade=24):
    """Create the demo officers and role accounts (idempotent); return a summary."""
    User = get_user_model()
    units = seed_units()
    groups = {role: Group.objects.get_or_create(name=role.value)[0] for role in Role}
    rng = random.Random(20261121)
    existing = set(Officer.objects.filter(badge_number__startswith="3201").values_list(
        "badge_number", flat=True))
    brigades = [units[f"{code}-{i}"] for code, _name_ in DETACHMENTS for i in range(1, 4)]
    serial = 0
    new_users, new_officers = [], []
    for brigade in brigades:
        for _index in range(officers_per_brigade):
            serial += 1
            name = _name(rng)
            badge = f"3201{serial:07d}"
            hire = dt.date(2000, 1, 1) + dt.timedelta(days=rng.randint(0, 9300))
            status = OfficerStatus.LEFT if rng.random() < 0.03 else OfficerStatus.ACTIVE
            position = rng.choice(POSITIONS)
            if badge in existing:
                continue
            user = User(username=badge, first_name=name, is_active=status == OfficerStatus.ACTIVE)
            user.set_password(DEMO_PASSWORD) if serial <= 3 else user.set_unusable_password()
            new_users.append(user)
            new_officers.append(Officer(name=name, unit=brigade, badge_number=badge,
                                        position=position, hire_date=hire, status=status))
    if new_users:
        User.objects.bulk_create(new_users)
        by_name = {u.username: u for u in User.objects.filter(
            username__in=[u.username for u in new_users])}
        for officer in new_officers:
            officer.user = by_name[officer.badge_number]
        Officer.objects.bulk_create(new_officers)
        User.groups.through.objects.bulk_create(
            [User.groups.through(user_id=u.pk, group_id=groups[Role.OFFICER].pk)
             for u in by_name.values()])

    for number, (username, name, role, unit_code) in enumerate(DEMO_ACCOUNTS, start=1):
        user, created = User.objects.get_or_create(username=username, defaults={"first_name": name})
        if created or not user.has_usable_password():
            user.set_password(DEMO_PASSWORD)
        user.is_superuser = user.is_staff = role == Role.ADMIN
        user.save()
        user.groups.add(groups[Role.OFFICER], groups[role])
        Officer.objects.update_or_create(
            user=user,
            defaults={"name": name, "unit": units[unit_code], "badge_number": f"3299{number:07d}",
                      "position": "执法队员" if role == Role.OFFICER else "科长"},
        )
    return f"{Officer.objects.filter(unit__code__startswith='JZ').count()} officers"
