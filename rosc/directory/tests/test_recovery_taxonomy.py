"""The recovery-support taxonomy ships with ROSC Hub, with ids that never change."""

import uuid

import pytest

from rosc.directory import taxonomy as recovery
from rosc.directory.models import Taxonomy, TaxonomyTerm
from rosc.directory.services import taxonomy_load_recovery_support

pytestmark = pytest.mark.django_db


def test_the_migration_has_loaded_the_recovery_support_taxonomy() -> None:
    taxonomy = Taxonomy.objects.get(public_id=recovery.TAXONOMY_ID)
    assert taxonomy.name == "ROSC Hub recovery support"
    assert taxonomy.terms.count() == len(recovery.TERMS)
    coaching = TaxonomyTerm.objects.get(code="recovery-coaching")
    assert coaching.public_id == uuid.uuid5(recovery.NAMESPACE, "recovery-coaching")


def test_loading_again_changes_nothing_and_restores_edited_terms() -> None:
    TaxonomyTerm.objects.filter(code="naloxone").update(name="Changed")

    taxonomy_load_recovery_support()
    taxonomy_load_recovery_support()

    terms = TaxonomyTerm.objects.filter(taxonomy_detail__public_id=recovery.TAXONOMY_ID)
    assert terms.count() == len(recovery.TERMS)
    assert TaxonomyTerm.objects.get(code="naloxone").name == "Naloxone"


def test_every_code_is_unique_and_every_term_described() -> None:
    codes = [code for code, _name, _description in recovery.TERMS]
    assert len(codes) == len(set(codes))
    assert all(name and description for _code, name, description in recovery.TERMS)
