"""Review decisions a bureau can defend: safeguards and overrides, bonus and veto reviews,
internal notes, structured requests for changes, required materials, expert panels, the
recommendation chain, quotas per region and level, public notice with objections and a working
day calendar, reconsideration. Fills the pinyin sort names of existing applications."""

import assessments.review.models
import django.core.validators
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def fill_sort_names(apps, schema_editor):
    from pypinyin import lazy_pinyin  # the migration runs once; keep the import local

    Application = apps.get_model("review", "Application")
    for application in Application.objects.select_related("enterprise").iterator():
        key = " ".join(lazy_pinyin(application.enterprise.name)).lower()[:255]
        Application.objects.filter(pk=application.pk).update(sort_name=key)


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0005_expert_group'),
        ('review', '0003_programme_recognition_and_stamped_certificates'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='CalendarDay',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('date', models.DateField(unique=True, verbose_name='date')),
                ('kind', models.CharField(choices=[('holiday', 'Public holiday (no work)'), ('workday', 'Working day on a weekend')], max_length=8, verbose_name='kind')),
                ('name_zh', models.CharField(blank=True, max_length=100, verbose_name='Chinese name')),
                ('name_en', models.CharField(blank=True, max_length=100, verbose_name='English name')),
            ],
            options={
                'verbose_name': 'calendar day',
                'verbose_name_plural': 'calendar days',
                'ordering': ['date'],
            },
        ),
        migrations.AlterModelOptions(
            name='programme',
            options={'ordering': ['-opens_at', 'code'], 'permissions': [('change_programme_quota', 'Can change the quotas, regions and review levels of programmes')], 'verbose_name': 'programme', 'verbose_name_plural': 'programmes'},
        ),
        # The old comment was shown to the firm: it is the message to the firm.
        migrations.RenameField(model_name='itemreview', old_name='comment', new_name='message'),
        migrations.AddField(
            model_name='application',
            name='consensus_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='consensus set at'),
        ),
        migrations.AddField(
            model_name='application',
            name='consensus_reason',
            field=models.TextField(blank=True, verbose_name='consensus reason'),
        ),
        migrations.AddField(
            model_name='application',
            name='due_on',
            field=models.DateField(blank=True, db_index=True, help_text="The next deadline: changes due, end of the notice, or the stage's expected end.", null=True, verbose_name='due on'),
        ),
        migrations.AddField(
            model_name='application',
            name='notice_starts_on',
            field=models.DateField(blank=True, null=True, verbose_name='public notice starts'),
        ),
        migrations.AddField(
            model_name='application',
            name='override_reason',
            field=models.TextField(blank=True, help_text='Every safeguard a lead reviewer overrode, with the written reason.', verbose_name='override reasons'),
        ),
        migrations.AddField(
            model_name='application',
            name='reviewed_bonus',
            field=models.DecimalField(blank=True, decimal_places=2, max_digits=7, null=True, verbose_name='reviewed bonus'),
        ),
        migrations.AddField(
            model_name='application',
            name='sort_name',
            field=models.CharField(blank=True, db_index=True, max_length=255, verbose_name='name for sorting (pinyin)'),
        ),
        migrations.AddField(
            model_name='application',
            name='stage_index',
            field=models.PositiveSmallIntegerField(default=0, help_text='How many levels of the recommendation chain have recommended it.', verbose_name='levels passed'),
        ),
        migrations.AddField(
            model_name='itemreview',
            name='decision',
            field=models.CharField(blank=True, choices=[('accepted', 'Accepted'), ('struck', 'Struck out'), ('confirmed', 'Confirmed'), ('raised', 'Veto raised by the reviewer')], max_length=16, verbose_name='decision'),
        ),
        migrations.AddField(
            model_name='itemreview',
            name='decision_reason',
            field=models.TextField(blank=True, verbose_name='reason for the decision'),
        ),
        migrations.AlterField(
            model_name='itemreview',
            name='message',
            field=models.TextField(blank=True, help_text='The firm sees this.', verbose_name='message to the firm'),
        ),
        migrations.AddField(
            model_name='itemreview',
            name='note',
            field=models.TextField(blank=True, help_text='Reviewers only; the firm never sees it.', verbose_name='internal note'),
        ),
        migrations.AddField(
            model_name='programme',
            name='change_request_days',
            field=models.PositiveSmallIntegerField(default=15, help_text='Default deadline of a request for changes (补正), from the day it is sent.', verbose_name='deadline for changes (days)'),
        ),
        migrations.AddField(
            model_name='programme',
            name='expected_days',
            field=models.JSONField(blank=True, default=dict, help_text='Shown to the firm, e.g. {"submitted": 5, "formal_check": 10, "expert_review": 20, "recommended": 15}.', verbose_name='expected days per stage'),
        ),
        migrations.AddField(
            model_name='programme',
            name='expert_spread_threshold',
            field=models.DecimalField(decimal_places=2, default=10, help_text="When the experts' totals differ by more than this, the lead reviewer's consensus score needs a written reason.", max_digits=6, verbose_name='expert spread threshold (points)'),
        ),
        migrations.AddField(
            model_name='programme',
            name='min_experts',
            field=models.PositiveSmallIntegerField(default=0, help_text='Experts who score each application independently before it can be recommended (at least 2 for a panel); 0 means no expert panel.', verbose_name='experts per application'),
        ),
        migrations.AddField(
            model_name='programme',
            name='periods_in_working_days',
            field=models.BooleanField(default=False, help_text='Count the public notice, the deadline for changes and the reconsideration period in working days (weekends and the public holidays of the calendar are skipped).', verbose_name='count periods in working days'),
        ),
        migrations.AddField(
            model_name='programme',
            name='reconsideration_days',
            field=models.PositiveSmallIntegerField(default=15, help_text='A rejected firm may ask for reconsideration (复议) within this period; 0 means no reconsideration.', verbose_name='reconsideration period (days)'),
        ),
        migrations.AddField(
            model_name='programme',
            name='reminder_days',
            field=models.PositiveSmallIntegerField(default=3, help_text='The firm is reminded this many days before the deadline for changes.', verbose_name='reminder before the deadline (days)'),
        ),
        migrations.AddField(
            model_name='reviewevent',
            name='internal',
            field=models.BooleanField(default=False, help_text='An internal note: reviewers see it, the firm never does.', verbose_name='internal'),
        ),
        migrations.AlterField(
            model_name='application',
            name='state',
            field=models.CharField(choices=[('submitted', 'Submitted'), ('formal_check', 'Formal check'), ('returned', 'Returned for changes'), ('resubmitted', 'Resubmitted'), ('expert_review', 'Expert review'), ('recommended', 'Recommended'), ('public_notice', 'Public notice'), ('recognised', 'Recognised'), ('rejected', 'Rejected'), ('reconsideration', 'Reconsideration requested'), ('withdrawn', 'Withdrawn')], db_index=True, default='submitted', max_length=16, verbose_name='state'),
        ),
        migrations.CreateModel(
            name='ApplicationFile',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('material', 'Required material'), ('reconsideration', 'Reconsideration evidence')], max_length=16, verbose_name='kind')),
                ('file', models.FileField(max_length=300, upload_to=assessments.review.models.application_file_upload_to, verbose_name='file')),
                ('original_name', models.CharField(max_length=255, verbose_name='file name')),
                ('content_type', models.CharField(max_length=100, verbose_name='content type')),
                ('size', models.PositiveIntegerField(verbose_name='size (bytes)')),
                ('sha256', models.CharField(max_length=64, verbose_name='SHA-256')),
                ('uploaded_at', models.DateTimeField(auto_now_add=True, verbose_name='uploaded at')),
                ('application', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='files', to='review.application', verbose_name='application')),
                ('uploaded_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='uploaded by')),
            ],
            options={
                'verbose_name': 'application file',
                'verbose_name_plural': 'application files',
                'ordering': ['application', 'kind', '-uploaded_at', '-pk'],
            },
        ),
        migrations.CreateModel(
            name='ChangeRequest',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('items', models.JSONField(blank=True, default=list, verbose_name='items reopened')),
                ('materials', models.JSONField(blank=True, default=list, verbose_name='materials reopened')),
                ('message', models.TextField(verbose_name='what is needed')),
                ('deadline', models.DateField(verbose_name='deadline')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='sent at')),
                ('reminded_at', models.DateTimeField(blank=True, null=True, verbose_name='reminder sent at')),
                ('overdue_at', models.DateTimeField(blank=True, null=True, verbose_name='flagged overdue at')),
                ('closed_at', models.DateTimeField(blank=True, null=True, verbose_name='answered at')),
                ('application', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='change_requests', to='review.application', verbose_name='application')),
                ('created_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='sent by')),
            ],
            options={
                'verbose_name': 'request for changes',
                'verbose_name_plural': 'requests for changes',
                'ordering': ['-created_at', '-pk'],
            },
        ),
        migrations.CreateModel(
            name='Objection',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=100, verbose_name='name')),
                ('organisation', models.CharField(blank=True, max_length=200, verbose_name='organisation')),
                ('contact', models.CharField(max_length=200, verbose_name='telephone or e-mail')),
                ('text', models.TextField(verbose_name='objection')),
                ('evidence', models.FileField(blank=True, max_length=300, upload_to=assessments.review.models.objection_upload_to, verbose_name='evidence')),
                ('evidence_name', models.CharField(blank=True, max_length=255, verbose_name='evidence file name')),
                ('evidence_type', models.CharField(blank=True, max_length=100, verbose_name='evidence content type')),
                ('evidence_size', models.PositiveIntegerField(default=0, verbose_name='evidence size (bytes)')),
                ('evidence_sha256', models.CharField(blank=True, max_length=64, verbose_name='evidence SHA-256')),
                ('language', models.CharField(default='zh-hans', max_length=8, verbose_name='language')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='lodged at')),
                ('outcome', models.CharField(blank=True, choices=[('dismissed', 'Dismissed'), ('upheld', 'Upheld')], max_length=12, verbose_name='outcome')),
                ('answer', models.TextField(blank=True, verbose_name='answer')),
                ('answered_at', models.DateTimeField(blank=True, null=True, verbose_name='answered at')),
                ('answered_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='answered by')),
                ('application', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='objections', to='review.application', verbose_name='application')),
            ],
            options={
                'verbose_name': 'objection',
                'verbose_name_plural': 'objections',
                'ordering': ['application', 'created_at', 'pk'],
            },
        ),
        migrations.CreateModel(
            name='ProgrammeQuota',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('level', models.CharField(blank=True, help_text="A level code of the programme's scheme (e.g. demonstration); empty: any.", max_length=32, verbose_name='level')),
                ('max_count', models.PositiveIntegerField(blank=True, null=True, verbose_name='most recommendations')),
                ('max_share', models.DecimalField(blank=True, decimal_places=2, max_digits=5, null=True, validators=[django.core.validators.MinValueValidator(0), django.core.validators.MaxValueValidator(100)], verbose_name='largest share (%)')),
                ('programme', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='quotas', to='review.programme', verbose_name='programme')),
                ('region', models.ForeignKey(blank=True, help_text='Empty: the whole programme. A province covers its cities.', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='accounts.region', verbose_name='region')),
            ],
            options={
                'verbose_name': 'programme quota',
                'verbose_name_plural': 'programme quotas',
                'ordering': ['programme', 'region', 'level', 'pk'],
            },
        ),
        migrations.CreateModel(
            name='RequiredMaterial',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('code', models.SlugField(max_length=40, verbose_name='code')),
                ('title_zh', models.CharField(max_length=200, verbose_name='Chinese title')),
                ('title_en', models.CharField(max_length=200, verbose_name='English title')),
                ('help_zh', models.TextField(blank=True, verbose_name='Chinese explanation')),
                ('help_en', models.TextField(blank=True, verbose_name='English explanation')),
                ('required', models.BooleanField(default=True, verbose_name='required')),
                ('sort_order', models.PositiveSmallIntegerField(default=0, verbose_name='order')),
                ('programme', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='materials', to='review.programme', verbose_name='programme')),
            ],
            options={
                'verbose_name': 'required material',
                'verbose_name_plural': 'required materials',
                'ordering': ['programme', 'sort_order', 'pk'],
            },
        ),
        migrations.CreateModel(
            name='MaterialCheck',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('status', models.CharField(choices=[('complete', 'Complete'), ('incomplete', 'Incomplete')], max_length=12, verbose_name='result')),
                ('reason', models.TextField(blank=True, verbose_name='reason')),
                ('checked_at', models.DateTimeField(auto_now=True, verbose_name='checked at')),
                ('application', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='material_checks', to='review.application', verbose_name='application')),
                ('checked_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='checked by')),
                ('file', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='review.applicationfile', verbose_name='file checked')),
                ('material', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='checks', to='review.requiredmaterial', verbose_name='material')),
            ],
            options={
                'verbose_name': 'material check',
                'verbose_name_plural': 'material checks',
            },
        ),
        migrations.AddField(
            model_name='applicationfile',
            name='material',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='files', to='review.requiredmaterial', verbose_name='material'),
        ),
        migrations.CreateModel(
            name='ReviewStage',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('sort_order', models.PositiveSmallIntegerField(default=0, verbose_name='order')),
                ('name_zh', models.CharField(max_length=100, verbose_name='Chinese name')),
                ('name_en', models.CharField(max_length=100, verbose_name='English name')),
                ('quota', models.PositiveIntegerField(blank=True, help_text='Most applications this level may recommend; empty means no limit.', null=True, verbose_name='quota')),
                ('quota_scope', models.CharField(choices=[('programme', 'the whole programme'), ('province', 'each province'), ('city', 'each city')], default='programme', max_length=16, verbose_name='quota applies to')),
                ('programme', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='stages', to='review.programme', verbose_name='programme')),
                ('reviewers', models.ManyToManyField(blank=True, help_text='They decide at this level, each within their own regions; empty means every reviewer whose regions cover the enterprise.', limit_choices_to={'reviewer_profile__isnull': False}, related_name='review_stages', to=settings.AUTH_USER_MODEL, verbose_name='reviewers of this level')),
            ],
            options={
                'verbose_name': 'review level',
                'verbose_name_plural': 'review levels',
                'ordering': ['programme', 'sort_order', 'pk'],
            },
        ),
        migrations.CreateModel(
            name='ExpertAssignment',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('assigned_at', models.DateTimeField(auto_now_add=True, verbose_name='assigned at')),
                ('points', models.JSONField(blank=True, default=dict, verbose_name='points per item')),
                ('total', models.DecimalField(blank=True, decimal_places=2, max_digits=7, null=True, verbose_name='total')),
                ('bonus', models.DecimalField(blank=True, decimal_places=2, max_digits=7, null=True, verbose_name='bonus')),
                ('level', models.CharField(blank=True, max_length=32, verbose_name='level')),
                ('note', models.TextField(blank=True, verbose_name='internal note')),
                ('no_conflict_declared_at', models.DateTimeField(blank=True, null=True, verbose_name='declared no conflict of interest at')),
                ('submitted_at', models.DateTimeField(blank=True, null=True, verbose_name='submitted at')),
                ('application', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='experts', to='review.application', verbose_name='application')),
                ('assigned_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='assigned by')),
                ('expert', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='expert_assignments', to=settings.AUTH_USER_MODEL, verbose_name='expert')),
            ],
            options={
                'verbose_name': 'expert assignment',
                'verbose_name_plural': 'expert assignments',
                'ordering': ['application', 'assigned_at', 'pk'],
                'constraints': [models.UniqueConstraint(fields=('application', 'expert'), name='one_seat_per_expert')],
            },
        ),
        migrations.AddConstraint(
            model_name='requiredmaterial',
            constraint=models.UniqueConstraint(fields=('programme', 'code'), name='one_material_per_code'),
        ),
        migrations.AddConstraint(
            model_name='materialcheck',
            constraint=models.UniqueConstraint(fields=('application', 'material'), name='one_check_per_material'),
        ),
        migrations.RunPython(fill_sort_names, migrations.RunPython.noop),
]
