"""The help services every force starts with. Forces edit, hide or add to them in the admin.

Only numbers and hours we are sure of are filled in; for the rest the page sends people to the
service's own website, which is always up to date. The texts are marked for translation
(the page shows the Welsh when the catalogue has it); text a force edits is shown as written.
"""

import datetime

from django.db import migrations
from django.utils.translation import gettext_noop

MON, TUE, WED, THU, FRI = range(5)


def t(text: str) -> datetime.time:
    return datetime.time.fromisoformat(text)


SERVICES = [
    {
        "slug": "emergency",
        "name": gettext_noop("Police emergency: 999"),
        "helps_with": gettext_noop(
            "Call 999 if you are in danger now, or if a crime is happening now."
        ),
        "phone": "999",
        "text_relay": gettext_noop(
            "18000 from a text phone or the Relay UK app. You can also text 999 if "
            "you have registered with the emergencySMS service."
        ),
        "is_emergency": True,
        "always_open": True,
        "closed_on_bank_holidays": False,
    },
    {
        "slug": "non-emergency",
        "name": gettext_noop("Police non-emergency: 101"),
        "helps_with": gettext_noop(
            "Call 101 to report stalking or harassment when you are not in danger now, "
            "or to ask about a report you have made."
        ),
        "phone": "101",
        "text_relay": gettext_noop("18001 101 from a text phone or the Relay UK app."),
        "always_open": True,
        "closed_on_bank_holidays": False,
    },
    {
        "slug": "report-online",
        "name": gettext_noop("Report online"),
        "helps_with": gettext_noop(
            "Tell us what has been happening, in your own time. You can save your "
            "answers and come back later."
        ),
        "web_url": "/report/",
        "web_label": gettext_noop("Report stalking or harassment online"),
        "always_open": True,
        "closed_on_bank_holidays": False,
    },
    {
        "slug": "relay-uk",
        "name": gettext_noop("Relay UK"),
        "helps_with": gettext_noop(
            "If you are deaf, hard of hearing or have a speech difference, Relay UK "
            "lets you phone any service by typing. A relay assistant speaks your words and types "
            "back what is said."
        ),
        "text_relay": gettext_noop(
            "18001 then the full number, from a text phone or the Relay UK app. "
            "18000 in an emergency."
        ),
        "web_url": "https://www.relayuk.bt.com/",
        "web_label": gettext_noop("Relay UK website"),
        "always_open": True,
        "closed_on_bank_holidays": False,
    },
    {
        "slug": "national-stalking-helpline",
        "name": gettext_noop("National Stalking Helpline"),
        "helps_with": gettext_noop(
            "Advice and support from people who understand stalking, for you or for "
            "someone you are worried about. Run by the Suzy Lamplugh Trust."
        ),
        "phone": "0808 802 0300",
        "phone_note": gettext_noop("Free to call"),
        "web_url": "https://www.suzylamplugh.org/",
        "web_label": gettext_noop("Suzy Lamplugh Trust website"),
        "periods": [
            (MON, "09:30", "20:00"),
            (TUE, "09:30", "16:00"),
            (WED, "09:30", "20:00"),
            (THU, "09:30", "16:00"),
            (FRI, "09:30", "16:00"),
        ],
    },
    {
        "slug": "national-domestic-abuse-helpline",
        "name": gettext_noop("National Domestic Abuse Helpline"),
        "helps_with": gettext_noop(
            "Support if the person stalking or harassing you is a partner, an "
            "ex-partner or a family member. Run by Refuge."
        ),
        "phone": "0808 2000 247",
        "phone_note": gettext_noop("Free to call"),
        "web_url": "https://www.nationaldahelpline.org.uk/",
        "web_label": gettext_noop("National Domestic Abuse Helpline website"),
        "always_open": True,
        "closed_on_bank_holidays": False,
    },
    {
        "slug": "paladin",
        "name": gettext_noop("Paladin – National Stalking Advocacy Service"),
        "helps_with": gettext_noop(
            "Specialist advocates who support people at high risk from stalking, "
            "through the police and the courts."
        ),
        "web_url": "https://paladinservice.co.uk/",
        "web_label": gettext_noop("Paladin website"),
        "hours_note": gettext_noop("Check their website for how to contact them and when."),
    },
    {
        "slug": "protection-against-stalking",
        "name": gettext_noop("Protection Against Stalking"),
        "helps_with": gettext_noop(
            "A charity that supports people being stalked and their families."
        ),
        "web_url": "https://www.protectionagainststalking.org/",
        "web_label": gettext_noop("Protection Against Stalking website"),
        "hours_note": gettext_noop("Check their website for how to contact them and when."),
    },
    {
        "slug": "victim-support",
        "name": gettext_noop("Victim Support"),
        "helps_with": gettext_noop(
            "Free, private support for anyone affected by crime, whether or not you "
            "have told the police."
        ),
        "phone": "0808 168 9111",
        "phone_note": gettext_noop("Free to call"),
        "web_url": "https://www.victimsupport.org.uk/",
        "web_label": gettext_noop("Victim Support website"),
        "always_open": True,
        "closed_on_bank_holidays": False,
    },
    {
        "slug": "revenge-porn-helpline",
        "name": gettext_noop("Revenge Porn Helpline"),
        "helps_with": gettext_noop(
            "Help if someone has shared, or threatens to share, intimate images of "
            "you without your consent, including getting them taken down."
        ),
        "web_url": "https://revengepornhelpline.org.uk/",
        "web_label": gettext_noop("Revenge Porn Helpline website"),
        "hours_note": gettext_noop("Check their website for how to contact them and when."),
    },
    {
        "slug": "action-fraud",
        "name": gettext_noop("Action Fraud"),
        "helps_with": gettext_noop(
            "Report fraud and cyber crime, for example if someone has used your "
            "details to open accounts or order things."
        ),
        "web_url": "https://www.actionfraud.police.uk/",
        "web_label": gettext_noop("Action Fraud website"),
        "hours_note": gettext_noop("You can report online at any time."),
    },
    {
        "slug": "isac",
        "name": gettext_noop("Independent Stalking Advocacy Caseworkers (ISACs)"),
        "helps_with": gettext_noop(
            "A local caseworker who stays with you, helps you stay safe and speaks up "
            "for you with the police and other services. Ask us, or the National Stalking "
            "Helpline, to put you in touch."
        ),
        "hours_note": gettext_noop("Ask when you call 101 or the National Stalking Helpline."),
    },
]


def add_services(apps, schema_editor):
    HelpService = apps.get_model("public_site", "HelpService")
    OpeningPeriod = apps.get_model("public_site", "OpeningPeriod")
    for position, data in enumerate(SERVICES, start=1):
        data = dict(data)
        periods = data.pop("periods", [])
        service, created = HelpService.objects.get_or_create(
            slug=data["slug"], defaults={**data, "position": position * 10}
        )
        if created:
            for weekday, opens, closes in periods:
                OpeningPeriod.objects.create(
                    service=service, weekday=weekday, opens=t(opens), closes=t(closes)
                )


def remove_services(apps, schema_editor):
    HelpService = apps.get_model("public_site", "HelpService")
    HelpService.objects.filter(slug__in=[s["slug"] for s in SERVICES]).delete()


class Migration(migrations.Migration):
    dependencies = [("public_site", "0001_initial")]

    operations = [migrations.RunPython(add_services, remove_services)]
