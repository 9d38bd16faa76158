"""The catalog's own facts hold together: what it says of a file names that file's fields."""

from lib.contract.catalog import DATASETS, LAYERS, MEASURES, Kind
from lib.contract.i18n import STRINGS


def test_every_measure_is_a_figure_of_a_quarterly_table_by_township_and_industry():
    for measure in MEASURES.values():
        dataset = DATASETS[measure.dataset]
        assert dataset.field(measure.column).kind in (Kind.NUMBER, Kind.INTEGER), measure
        assert {"quarter", "township_id", "industry"} <= set(dataset.unique), measure
        for key in (measure.axis, measure.by_quarter, measure.by_township):
            assert key in STRINGS, (measure, key)


def test_every_unique_key_is_made_of_the_files_fields():
    for dataset in DATASETS.values():
        names = {field.name for field in dataset.fields}
        assert dataset.unique and set(dataset.unique) <= names, dataset.key


def test_schematic_layers_say_so_in_their_titles():
    for layer in LAYERS:
        assert layer.schematic == ("示意" in layer.title.zh) == ("schematic" in layer.title.en), layer.key
