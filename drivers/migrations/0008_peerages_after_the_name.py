"""A peerage written after the name leaves the name (decision 0012), as titles before it did
in 0004: "Francis Curzon, Earl Howe" becomes Francis Curzon with the title "Earl Howe"; "Edward
Russell, Lord de Clifford", entered as "Lt. Col.", gets the title "Lt. Col. Lord de Clifford".
The URL follows the name where the new slug is free, and the old one answers with a redirect."""

from django.db import migrations, models

import drivers.names
from drivers.names import fold, parse_name, slug_for

REASON = "The peerage written after the name became the title (decision 0012)."


def move_peerages(apps, schema_editor):
    from drivers.models import Driver as Current, written

    Driver = apps.get_model("drivers", "Driver")
    DriverRedirect = apps.get_model("drivers", "DriverRedirect")
    using = schema_editor.connection.alias
    title_length = Driver._meta.get_field("title").max_length
    drivers = list(Driver.objects.using(using).order_by("pk"))
    redirects = {r.old_slug: r for r in DriverRedirect.objects.using(using)}
    taken = {driver.slug for driver in drivers}
    changed, moved = [], []
    for driver in drivers:
        parsed = parse_name(driver.full_name)
        title = " ".join(filter(None, [driver.title, parsed.title]))
        if parsed.title in driver.title:  # already kept, e.g. by an earlier run: not twice
            title = driver.title
        if not parsed.title or len(title) > title_length:
            continue  # a title too long to hold stays in the name (the data-health page says so)
        old_slug, old_name = driver.slug, driver.full_name
        driver.full_name, driver.search_key, driver.title = parsed.name, fold(parsed.name), title
        driver.first_name_known = driver.first_name_known and parsed.first_name_known
        slug = slug_for(parsed.name)
        own = redirects.get(slug)
        if slug and slug not in taken and (own is None or own.driver_id == driver.pk):
            taken.add(slug)
            driver.slug = slug
            if own is not None:  # the driver's old address is his again
                own.delete()
            moved.append(
                DriverRedirect(old_slug=old_slug, driver=driver, old_name=old_name, reason=REASON)
            )
        changed.append(driver)
    fields = ["full_name", "search_key", "title", "first_name_known", "slug"]
    Driver.objects.using(using).bulk_update(changed, fields, batch_size=500)
    DriverRedirect.objects.using(using).bulk_create(moved)
    if changed:  # names show on racing pages: advance the site's data version (races listens)
        written.send(sender=Current, using=using, namesakes=False)  # before drivers 0009


class Migration(migrations.Migration):
    dependencies = [
        ("drivers", "0007_redirects"),
        ("races", "0009_data_version"),  # the data version the renaming advances
    ]

    operations = [
        migrations.AlterField(
            model_name="driver",
            name="title",
            field=models.CharField(
                blank=True,
                help_text="As entered with the name: before it (Miss, Mme, Dr., Sir …), then a peerage written after it (Earl Howe); shown on the profile.",
                max_length=40,
                validators=[drivers.names.validate_printable],
                verbose_name="title",
            ),
        ),
        migrations.AlterField(
            model_name="historicaldriver",
            name="title",
            field=models.CharField(
                blank=True,
                help_text="As entered with the name: before it (Miss, Mme, Dr., Sir …), then a peerage written after it (Earl Howe); shown on the profile.",
                max_length=40,
                validators=[drivers.names.validate_printable],
                verbose_name="title",
            ),
        ),
        migrations.RunPython(move_peerages, migrations.RunPython.noop),
    ]
