"""Policies as structured records (索引号, subject, interpretation), the search documents with
the database's full-text structure over them, and the content version of the page cache.

Search documents: the plain text of each live page's published revision. PostgreSQL gets a
generated ``tsvector`` column weighted by field (title A, tags and metadata B, body C) with a
GIN index; SQLite an FTS5 table over the three term columns (external content, kept in step by
triggers). Other databases get neither and cannot search.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

POSTGRESQL = [
    """
    ALTER TABLE cms_searchdocument ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('simple'::regconfig, coalesce(title_terms, '')), 'A')
        || setweight(to_tsvector('simple'::regconfig, coalesce(meta_terms, '')), 'B')
        || setweight(to_tsvector('simple'::regconfig, coalesce(body_terms, '')), 'C')
    ) STORED
    """,
    "CREATE INDEX cms_searchdocument_vector ON cms_searchdocument USING GIN (search_vector)",
]
POSTGRESQL_REVERSE = [
    "DROP INDEX IF EXISTS cms_searchdocument_vector",
    "ALTER TABLE cms_searchdocument DROP COLUMN IF EXISTS search_vector",
]

SQLITE = [
    """
    CREATE VIRTUAL TABLE cms_searchdocument_fts USING fts5(
        title_terms, meta_terms, body_terms,
        content='cms_searchdocument', content_rowid='id', tokenize='unicode61'
    )
    """,
    """
    CREATE TRIGGER cms_searchdocument_ai AFTER INSERT ON cms_searchdocument BEGIN
        INSERT INTO cms_searchdocument_fts(rowid, title_terms, meta_terms, body_terms)
        VALUES (new.id, new.title_terms, new.meta_terms, new.body_terms);
    END
    """,
    """
    CREATE TRIGGER cms_searchdocument_ad AFTER DELETE ON cms_searchdocument BEGIN
        INSERT INTO cms_searchdocument_fts(cms_searchdocument_fts, rowid, title_terms,
            meta_terms, body_terms)
        VALUES ('delete', old.id, old.title_terms, old.meta_terms, old.body_terms);
    END
    """,
    """
    CREATE TRIGGER cms_searchdocument_au AFTER UPDATE ON cms_searchdocument BEGIN
        INSERT INTO cms_searchdocument_fts(cms_searchdocument_fts, rowid, title_terms,
            meta_terms, body_terms)
        VALUES ('delete', old.id, old.title_terms, old.meta_terms, old.body_terms);
        INSERT INTO cms_searchdocument_fts(rowid, title_terms, meta_terms, body_terms)
        VALUES (new.id, new.title_terms, new.meta_terms, new.body_terms);
    END
    """,
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS cms_searchdocument_au",
    "DROP TRIGGER IF EXISTS cms_searchdocument_ad",
    "DROP TRIGGER IF EXISTS cms_searchdocument_ai",
    "DROP TABLE IF EXISTS cms_searchdocument_fts",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):

    dependencies = [
        ('cms', '0003_alter_policypage_document_number'),
        ('wagtailcore', '0098_apitoken'),
        migrations.swappable_dependency(settings.WAGTAIL_PAGE_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='policypage',
            name='index_number',
            field=models.CharField(blank=True, help_text='The 索引号 of the government information disclosure catalogue, e.g. 114209000116345678/2022-00123', max_length=60, verbose_name='index number'),
        ),
        migrations.AddField(
            model_name='policypage',
            name='interpretation_page',
            field=models.ForeignKey(blank=True, help_text='The page that explains this document (解读), if it is published here.', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.WAGTAIL_PAGE_MODEL, verbose_name='interpretation on this site'),
        ),
        migrations.AddField(
            model_name='policypage',
            name='interpretation_url',
            field=models.URLField(blank=True, help_text='The web address of the official interpretation (解读), if it is elsewhere.', verbose_name='interpretation elsewhere'),
        ),
        migrations.AddField(
            model_name='policypage',
            name='subject',
            field=models.CharField(blank=True, choices=[('general', 'General government affairs'), ('economy', 'Economic management and state assets'), ('finance', 'Finance, banking and audit'), ('land_energy', 'Land, resources and energy'), ('agriculture', 'Agriculture, forestry and water'), ('industry', 'Industry and transport'), ('commerce', 'Trade, customs and tourism'), ('market', 'Market regulation and work safety'), ('urban', 'Urban and rural construction, environment'), ('science', 'Science, technology and education'), ('culture', 'Culture, broadcasting and publishing'), ('health', 'Health and sports'), ('labour', 'Labour, personnel and supervision'), ('justice', 'Public security and justice'), ('civil', 'Civil affairs and relief'), ('foreign', 'Foreign affairs'), ('other', 'Other')], max_length=16, verbose_name='subject'),
        ),
        migrations.CreateModel(
            name='SearchDocument',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('locale', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='wagtailcore.locale')),
                ('page', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='search_document', to=settings.WAGTAIL_PAGE_MODEL)),
                ('revision', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='wagtailcore.revision')),
                ('date', models.DateField(blank=True, null=True)),
                ('title', models.TextField()),
                ('text', models.TextField(blank=True)),
                ('title_terms', models.TextField(blank=True)),
                ('meta_terms', models.TextField(blank=True)),
                ('body_terms', models.TextField(blank=True)),
            ],
            options={
                'verbose_name': 'search document',
                'verbose_name_plural': 'search documents',
            },
        ),
        migrations.RunPython(
            _run({"postgresql": POSTGRESQL, "sqlite": SQLITE}),
            _run({"postgresql": POSTGRESQL_REVERSE, "sqlite": SQLITE_REVERSE}),
        ),
        migrations.CreateModel(
            name='ContentVersion',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('version', models.PositiveBigIntegerField(default=0)),
            ],
            options={
                'verbose_name': 'content version',
            },
        ),
    ]
