"""The file plan as data and as a file: export → import gives the same plan; bad files change nothing."""

from __future__ import annotations

import pytest

from saraban.kernel.errors import SarabanError
from saraban.orgs.models import Agency
from saraban.records.actions import fileplan
from saraban.records.models import FileCode
from saraban.records.queries import file_plan
from tests.fixtures import user

from .helpers import plan

pytestmark = pytest.mark.django_db


def test_export_import_round_trip(org) -> None:
    agency = plan()
    for fmt in ("csv", "json"):
        data = fileplan.export(agency, fmt)
        assert fileplan.parse(data, f"plan.{fmt}") == fileplan.rows_of(agency)
    other = Agency.objects.get(code="onde")
    fileplan.save_file_codes(user("onde-registrar"), other, fileplan.parse(fileplan.export(agency, "json")))
    assert [(n.code.code, n.depth) for n in file_plan(other)] == [("01", 0), ("01.01", 1), ("01.02", 1), ("02", 0)]


def test_bad_plans_change_nothing(org) -> None:
    agency = plan()
    before = list(FileCode.objects.order_by("code").values_list("code", "parent__code", "retention"))
    cycle = b"code,parent,title_th,retention\n01,01.02,a,10y\n01.02,01,b,10y\n"
    bad = [(cycle, "bad_file_plan"), (b"code,title_th,retention\n09,x,1y\n", "retention_shortened"),
           (b"code,title_th,retention\n09,x,forever\n", "bad_file_plan"),
           (b"code,parent,title_th\n09,77,x\n", "bad_file_plan"), (b"[{\"code\": 1", "bad_file_plan")]
    for data, code in bad:
        with pytest.raises(SarabanError) as err:
            fileplan.save_file_codes(user("registrar"), agency, fileplan.parse(data, "p.csv"))
        assert err.value.code == code
    assert list(FileCode.objects.order_by("code").values_list("code", "parent__code", "retention")) == before
    with pytest.raises(SarabanError) as err:
        fileplan.save_file_codes(user("officer"), agency, [fileplan.CodeRow(code="03", title_th="x")])
    assert err.value.status == 403
