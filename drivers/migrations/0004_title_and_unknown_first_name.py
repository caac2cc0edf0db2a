"""Titles and the "f.n.u." placeholder leave the name (decision 0012): "Miss Keiko Ihara"
becomes Keiko Ihara with the title Miss; "f.n.u. Stalter" becomes Stalter, first name unknown.
The URL follows the name where the new slug is free."""

from django.db import migrations, models
import drivers.names

from drivers.names import fold, parse_name, slug_for


def clean_names(apps, schema_editor):
    from drivers.models import Driver as Current, written

    Driver = apps.get_model("drivers", "Driver")
    using = schema_editor.connection.alias
    drivers = list(Driver.objects.using(using).order_by("pk"))
    taken = {driver.slug for driver in drivers}
    changed = []
    for driver in drivers:
        parsed = parse_name(driver.full_name)
        if not parsed.title and parsed.first_name_known:
            continue
        driver.full_name, driver.search_key = parsed.name, fold(parsed.name)
        driver.title = parsed.title
        driver.first_name_known = parsed.first_name_known
        slug = slug_for(parsed.name)
        if slug and slug not in taken:
            taken.add(slug)
            driver.slug = slug
        changed.append(driver)
    fields = ["full_name", "search_key", "title", "first_name_known", "slug"]
    Driver.objects.using(using).bulk_update(changed, fields, batch_size=500)
    if changed:  # names show on racing pages: advance the site's data version (races listens)
        written.send(sender=Current, using=using, namesakes=False)  # before drivers 0009


class Migration(migrations.Migration):

    dependencies = [
        ("drivers", "0003_printable_names"),
        ("races", "0009_data_version"),  # the data version the renaming advances
    ]

    operations = [
        migrations.AddField(
            model_name='driver',
            name='birth_year',
            field=models.PositiveSmallIntegerField(blank=True, help_text='Only when the day is not known.', null=True, verbose_name='year of birth'),
        ),
        migrations.AddField(
            model_name='driver',
            name='death_year',
            field=models.PositiveSmallIntegerField(blank=True, help_text='Only when the day is not known.', null=True, verbose_name='year of death'),
        ),
        migrations.AddField(
            model_name='driver',
            name='facts_note',
            field=models.TextField(blank=True, help_text='Where sources differ, what each says.', verbose_name='note on the dates'),
        ),
        migrations.AddField(
            model_name='driver',
            name='facts_source',
            field=models.CharField(blank=True, help_text='Where the birth and death dates come from: an address or a publication.', max_length=500, verbose_name='source of the dates'),
        ),
        migrations.AddField(
            model_name='driver',
            name='first_name_known',
            field=models.BooleanField(default=True, help_text='Off when no source gives the first name (written “f.n.u.” in entry lists).', verbose_name='first name known'),
        ),
        migrations.AddField(
            model_name='driver',
            name='title',
            field=models.CharField(blank=True, help_text='As entered before the name (Miss, Mme, Dr., Sir …); shown on the profile.', max_length=40, validators=[drivers.names.validate_printable], verbose_name='title'),
        ),
        migrations.AddField(
            model_name='historicaldriver',
            name='birth_year',
            field=models.PositiveSmallIntegerField(blank=True, help_text='Only when the day is not known.', null=True, verbose_name='year of birth'),
        ),
        migrations.AddField(
            model_name='historicaldriver',
            name='death_year',
            field=models.PositiveSmallIntegerField(blank=True, help_text='Only when the day is not known.', null=True, verbose_name='year of death'),
        ),
        migrations.AddField(
            model_name='historicaldriver',
            name='facts_note',
            field=models.TextField(blank=True, help_text='Where sources differ, what each says.', verbose_name='note on the dates'),
        ),
        migrations.AddField(
            model_name='historicaldriver',
            name='facts_source',
            field=models.CharField(blank=True, help_text='Where the birth and death dates come from: an address or a publication.', max_length=500, verbose_name='source of the dates'),
        ),
        migrations.AddField(
            model_name='historicaldriver',
            name='first_name_known',
            field=models.BooleanField(default=True, help_text='Off when no source gives the first name (written “f.n.u.” in entry lists).', verbose_name='first name known'),
        ),
        migrations.AddField(
            model_name='historicaldriver',
            name='title',
            field=models.CharField(blank=True, help_text='As entered before the name (Miss, Mme, Dr., Sir …); shown on the profile.', max_length=40, validators=[drivers.names.validate_printable], verbose_name='title'),
        ),
        migrations.RunPython(clean_names, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name='driver',
            constraint=models.CheckConstraint(condition=models.Q(('death_year__isnull', True), ('birth_year__isnull', True), ('death_year__gte', models.F('birth_year')), _connector='OR'), name='drivers_driver_dies_after_birth_year'),
        ),
        migrations.AddConstraint(
            model_name='driver',
            constraint=models.CheckConstraint(condition=models.Q(('birth_date__isnull', True), ('birth_year__isnull', True), _connector='OR'), name='drivers_driver_birth_date_or_year'),
        ),
        migrations.AddConstraint(
            model_name='driver',
            constraint=models.CheckConstraint(condition=models.Q(('death_date__isnull', True), ('death_year__isnull', True), _connector='OR'), name='drivers_driver_death_date_or_year'),
        ),
    ]
