<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_GB" sourcelanguage="da_DK">
<context>
    <name>About</name>
    <message>
        <location filename="../../cockpit/views/help/about.py" line="+25"/>
        <source>Pythonpakke</source>
        <translation>Python package</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Bibliotek</source>
        <translation>Library</translation>
    </message>
</context>
<context>
    <name>AboutDialog</name>
    <message>
        <location line="+14"/>
        <source>Om Patient Cockpit</source>
        <translation>About Patient Cockpit</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>&lt;b&gt;Patient Cockpit&lt;/b&gt; {version}&lt;br&gt;Patientoverblik og risikolister til almen praksis. Data ligger krypteret på denne computer; hvert opslag logges.</source>
        <translation>&lt;b&gt;Patient Cockpit&lt;/b&gt; {version}&lt;br&gt;Patient overview and risk lists for general practice. The data is encrypted on this computer; every look-up is logged.</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>Tredjepartssoftware ({count} komponenter). Vælg en for at læse dens licenstekst. Qt og PySide6 bruges under LGPL-3.0 og kan udskiftes; se licenses/qt i installationen.</source>
        <translation>Third-party software ({count} components). Choose one to read its licence text. Qt and PySide6 are used under the LGPL-3.0 and can be replaced; see licenses/qt in the installation.</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>(ingen licenstekst fundet)</source>
        <translation>(no licence text found)</translation>
    </message>
</context>
<context>
    <name>AdminPanel</name>
    <message>
        <location filename="../../cockpit/views/admin/panel.py" line="+16"/>
        <source>Brugere</source>
        <translation>Users</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Adgangslog</source>
        <translation>Access log</translation>
    </message>
</context>
<context>
    <name>App</name>
    <message>
        <location filename="../../cockpit/app.py" line="+82"/>
        <source>Patient Cockpit kan ikke starte</source>
        <translation>Patient Cockpit cannot start</translation>
    </message>
</context>
<context>
    <name>AssigneeDialog</name>
    <message>
        <location filename="../../cockpit/views/worklists/dialogs.py" line="+72"/>
        <source>Tildel</source>
        <translation>Assign</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Ingen (fjern tildelingen)</source>
        <translation>No one (remove the assignment)</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>&amp;Tildel til</source>
        <translation>&amp;Assign to</translation>
    </message>
</context>
<context>
    <name>AuditPage</name>
    <message>
        <location filename="../../cockpit/views/admin/audit_page.py" line="+88"/>
        <source>Patient: CPR-nr. eller id</source>
        <translation>Patient: CPR no. or id</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Bruger</source>
        <translation>User</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Kun data ud (eksport, print, kopi)</source>
        <translation>Data out only (export, print, copy)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Søg</source>
        <translation>&amp;Search</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Kontrollér kæden</source>
        <translation>&amp;Check the chain</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>fra</source>
        <translation>from</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>til</source>
        <translation>to</translation>
    </message>
    <message>
        <location line="+40"/>
        <source>{n} poster</source>
        <translation>{n} entries</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Kæden er intakt: {n} poster, ingen er ændret, indsat eller slettet.</source>
        <translation>The chain is intact: {n} entries, none changed, inserted or deleted.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>⚠ Kæden er brudt ved post {id}: {problem}</source>
        <translation>⚠ The chain is broken at entry {id}: {problem}</translation>
    </message>
</context>
<context>
    <name>Column</name>
    <message>
        <location filename="../../cockpit/views/overview/sections.py" line="+115"/>
        <location filename="../../cockpit/views/worklists/items_model.py" line="+41"/>
        <source>Prioritet</source>
        <translation>Priority</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Hvad</source>
        <translation>Issue</translation>
    </message>
    <message>
        <location line="+2"/>
        <location filename="../../cockpit/views/risk/panel.py" line="+110"/>
        <location filename="../../cockpit/views/worklists/items_model.py" line="+5"/>
        <source>Grundlag</source>
        <translation>Evidence</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Kode</source>
        <translation>Code</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Diagnose</source>
        <translation>Diagnosis</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+35"/>
        <location line="+50"/>
        <source>Start</source>
        <translation>Start</translation>
    </message>
    <message>
        <location line="-83"/>
        <source>Slut</source>
        <translation>End</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Kodesystem</source>
        <translation>Code system</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Kilde</source>
        <translation>Source</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Lægemiddel</source>
        <translation>Drug</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Styrke</source>
        <translation>Strength</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Dosering</source>
        <translation>Dosage</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>ATC</source>
        <translation>ATC</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Analyse</source>
        <translation>Test</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Værdi</source>
        <translation>Value</translation>
    </message>
    <message>
        <location line="+6"/>
        <location filename="../../cockpit/views/risk/panel.py" line="-7"/>
        <source>Enhed</source>
        <translation>Unit</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Dato</source>
        <translation>Date</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Ref.</source>
        <translation>Ref.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Flag</source>
        <translation>Flag</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Mål</source>
        <translation>Target</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Ydelse</source>
        <translation>Service</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Timer/uge</source>
        <translation>Hours/week</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Leverandør</source>
        <translation>Provider</translation>
    </message>
    <message>
        <location filename="../../cockpit/views/admin/users_page.py" line="+59"/>
        <location filename="../../cockpit/views/patient_table.py" line="+35"/>
        <location filename="../../cockpit/views/risk/panel.py" line="+4"/>
        <location filename="../../cockpit/views/worklists/items_model.py" line="-16"/>
        <source>Navn</source>
        <translation>Name</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Rolle</source>
        <translation>Role</translation>
    </message>
    <message>
        <location line="+1"/>
        <location filename="../../cockpit/views/worklists/items_model.py" line="+3"/>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Sidst logget ind</source>
        <translation>Last signed in</translation>
    </message>
    <message>
        <location filename="../../cockpit/views/patient_table.py" line="+1"/>
        <location filename="../../cockpit/views/risk/panel.py" line="+1"/>
        <location filename="../../cockpit/views/worklists/items_model.py" line="-2"/>
        <source>CPR-nr.</source>
        <translation>CPR no.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Født</source>
        <translation>Born</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Køn</source>
        <translation>Sex</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Egen læge</source>
        <translation>GP</translation>
    </message>
    <message>
        <location filename="../../cockpit/views/risk/panel.py" line="-22"/>
        <location filename="../../cockpit/views/worklists/items_model.py" line="+1"/>
        <source>Indikator</source>
        <translation>Indicator</translation>
    </message>
    <message>
        <location filename="../../cockpit/views/help/about.py" line="-61"/>
        <source>Komponent</source>
        <translation>Component</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Version</source>
        <translation>Version</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Licens</source>
        <translation>Licence</translation>
    </message>
    <message>
        <location line="+1"/>
        <location filename="../../cockpit/views/risk/panel.py" line="+1"/>
        <source>Type</source>
        <translation>Type</translation>
    </message>
    <message>
        <location filename="../../cockpit/views/risk/panel.py" line="+2"/>
        <source>Fundet</source>
        <translation>Found</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Population</source>
        <translation>Population</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Andel</source>
        <translation>Share</translation>
    </message>
    <message>
        <location filename="../../cockpit/views/admin/audit_page.py" line="-111"/>
        <source>Tidspunkt</source>
        <translation>Time</translation>
    </message>
    <message>
        <location line="+1"/>
        <location filename="../../cockpit/views/admin/users_page.py" line="-5"/>
        <source>Bruger</source>
        <translation>User</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Arbejdsplads</source>
        <translation>Workstation</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Handling</source>
        <translation>Action</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Patient</source>
        <translation>Patient</translation>
    </message>
    <message>
        <location line="+1"/>
        <location filename="../../cockpit/views/worklists/lists_pane.py" line="+47"/>
        <source>Liste</source>
        <translation>List</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Antal</source>
        <translation>Count</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Formål</source>
        <translation>Purpose</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Modtager</source>
        <translation>Destination</translation>
    </message>
    <message>
        <location filename="../../cockpit/views/worklists/lists_pane.py" line="+2"/>
        <source>Åbne</source>
        <translation>Open</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Forfaldne</source>
        <translation>Overdue</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Udført</source>
        <translation>Done</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Løst af data</source>
        <translation>Resolved by data</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Median dage</source>
        <translation>Median days</translation>
    </message>
    <message>
        <location filename="../../cockpit/views/worklists/items_model.py" line="+2"/>
        <source>Tildelt</source>
        <translation>Assigned</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Forfald</source>
        <translation>Due</translation>
    </message>
</context>
<context>
    <name>Contacts</name>
    <message>
        <location filename="../../cockpit/views/charts/contacts.py" line="+58"/>
        <source>Konsultation</source>
        <translation>Consultation</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Vis eller skjul konsultationer</source>
        <translation>Show or hide consultations</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Telefon</source>
        <translation>Phone</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Vis eller skjul telefonkontakter</source>
        <translation>Show or hide phone contacts</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>E-mail</source>
        <translation>Email</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Vis eller skjul e-mailkonsultationer</source>
        <translation>Show or hide email consultations</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Sygebesøg</source>
        <translation>Home visit</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Vis eller skjul sygebesøg</source>
        <translation>Show or hide home visits</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Ambulant</source>
        <translation>Outpatient</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Vis eller skjul ambulante besøg</source>
        <translation>Show or hide outpatient visits</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Indlæggelse</source>
        <translation>Admission</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Vis eller skjul indlæggelser</source>
        <translation>Show or hide admissions</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Skadestue/akut</source>
        <translation>Emergency</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Vis eller skjul skadestue-/akutkontakter</source>
        <translation>Show or hide emergency visits</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Hjemmepleje</source>
        <translation>Home care</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Vis eller skjul hjemmeplejeforløb</source>
        <translation>Show or hide home care episodes</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Andet</source>
        <translation>Other</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Vis eller skjul andre kontakter</source>
        <translation>Show or hide other contacts</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>3 måneder</source>
        <translation>3 months</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>12 måneder</source>
        <translation>12 months</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>24 måneder</source>
        <translation>24 months</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>5 år</source>
        <translation>5 years</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Hele perioden</source>
        <translation>Entire history</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>{count} konsultation</source>
        <comment>one</comment>
        <translation>{count} consultation</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{count} konsultationer</source>
        <comment>many</comment>
        <translation>{count} consultations</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>{count} telefonkontakt</source>
        <comment>one</comment>
        <translation>{count} phone contact</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{count} telefonkontakter</source>
        <comment>many</comment>
        <translation>{count} phone contacts</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>{count} e-mailkonsultation</source>
        <comment>one</comment>
        <translation>{count} email consultation</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{count} e-mailkonsultationer</source>
        <comment>many</comment>
        <translation>{count} email consultations</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>{count} sygebesøg</source>
        <comment>one</comment>
        <translation>{count} home visit</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{count} sygebesøg</source>
        <comment>many</comment>
        <translation>{count} home visits</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>{count} ambulant besøg</source>
        <comment>one</comment>
        <translation>{count} outpatient visit</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{count} ambulante besøg</source>
        <comment>many</comment>
        <translation>{count} outpatient visits</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>{count} indlæggelse</source>
        <comment>one</comment>
        <translation>{count} admission</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{count} indlæggelser</source>
        <comment>many</comment>
        <translation>{count} admissions</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>{count} skadestue-/akutkontakt</source>
        <comment>one</comment>
        <translation>{count} emergency visit</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{count} skadestue-/akutkontakter</source>
        <comment>many</comment>
        <translation>{count} emergency visits</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>{count} hjemmeplejeforløb</source>
        <comment>one</comment>
        <translation>{count} home care episode</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{count} hjemmeplejeforløb</source>
        <comment>many</comment>
        <translation>{count} home care episodes</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>{count} anden kontakt</source>
        <comment>one</comment>
        <translation>{count} other contact</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{count} andre kontakter</source>
        <comment>many</comment>
        <translation>{count} other contacts</translation>
    </message>
    <message>
        <location line="+47"/>
        <source>{months} måneder</source>
        <translation>{months} months</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>{admissions} (i alt {days})</source>
        <translation>{admissions} ({days} in total)</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>{period}: ingen kontakter</source>
        <translation>{period}: no contacts</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{period}: {contacts}</source>
        <translation>{period}: {contacts}</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Andet ({kind})</source>
        <translation>Other ({kind})</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>{start} – (igangværende)</source>
        <translation>{start} – (ongoing)</translation>
    </message>
</context>
<context>
    <name>ContactsTimeline</name>
    <message>
        <location filename="../../cockpit/views/charts/timeline.py" line="+106"/>
        <source>&amp;Periode:</source>
        <translation>&amp;Period:</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>Kontakter</source>
        <translation>Contacts</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+118"/>
        <source>Ingen kontakter</source>
        <translation>No contacts</translation>
    </message>
    <message>
        <location line="-109"/>
        <source>Kontakttidslinje</source>
        <translation>Contacts timeline</translation>
    </message>
</context>
<context>
    <name>CrashDialog</name>
    <message>
        <location filename="../../cockpit/views/crash.py" line="+111"/>
        <source>programmets fejludskrift (stderr): terminalen, det blev startet fra, eller systemets journal</source>
        <translation>the program&apos;s error output (stderr): the terminal it was started from, or the system journal</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Uventet fejl</source>
        <translation>Unexpected error</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>&lt;b&gt;Der skete en uventet fejl i Patient Cockpit.&lt;/b&gt;&lt;br&gt;Det, du var i gang med, blev måske ikke gjort færdigt. Prøv igen; sker det igen, så send rapporten herunder til den, der passer programmet.</source>
        <translation>&lt;b&gt;An unexpected error occurred in Patient Cockpit.&lt;/b&gt;&lt;br&gt;What you were doing may not have been completed. Try again; if it happens again, send the report below to whoever looks after the program.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Rapporten indeholder ingen patientdata: kun fejlens type, hvor i programmet den skete, og versionerne.</source>
        <translation>The report contains no patient data: only the type of error, where in the program it happened, and the versions.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Fejlen er også skrevet i loggen: {where}</source>
        <translation>The error was also written to the log: {where}</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>&amp;Kopiér rapporten</source>
        <translation>&amp;Copy the report</translation>
    </message>
</context>
<context>
    <name>ErrorMessages</name>
    <message>
        <location filename="../../cockpit/views/messages.py" line="+35"/>
        <source>Synkronisering: serveren afviste adgangen. Tjek praksisens token eller nøgle (cockpit sync-auth).</source>
        <translation>Sync: the server refused access. Check the practice&apos;s token or key (cockpit sync-auth).</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Synkronisering: serverens certifikat kunne ikke bekræftes. Tjek adressen, eller sæt praksisens CA-fil op.</source>
        <translation>Sync: the server&apos;s certificate could not be verified. Check the address, or set up the practice&apos;s CA file.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Synkronisering: serveren svarer ikke lige nu. Næste synkronisering fortsætter, hvor denne slap.</source>
        <translation>Sync: the server is not answering right now. The next sync continues where this one stopped.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Synkroniseringen kunne ikke gøres færdig; data i cockpittet er uændrede.</source>
        <translation>The sync could not be finished; the cockpit&apos;s data are unchanged.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Disken er fuld. Intet er gået tabt; frigør plads, og prøv igen.</source>
        <translation>The disk is full. Nothing is lost; free some space and try again.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Computerens nøglering kan ikke nås, så databasen kan ikke låses op. Kontakt IT.</source>
        <translation>The computer&apos;s keyring cannot be reached, so the database cannot be unlocked. Contact IT.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Databasens nøgle findes ikke i computerens nøglering. Kontakt IT (en sikkerhedskopi kan gendannes under en ny nøgle).</source>
        <translation>The database&apos;s key is not in the computer&apos;s keyring. Contact IT (a backup can be restored under a new key).</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Databasen kan ikke åbnes med sin nøgle. Kontakt IT.</source>
        <translation>The database cannot be opened with its key. Contact IT.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Databasen er beskadiget. Kontakt IT: den kan gendannes fra en sikkerhedskopi.</source>
        <translation>The database is damaged. Contact IT: it can be restored from a backup.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Databasen er skrevet af en nyere Patient Cockpit. Opdatér programmet på denne computer.</source>
        <translation>The database was written by a newer Patient Cockpit. Update the program on this computer.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Din rolle giver ikke adgang til dette.</source>
        <translation>Your role does not give access to this.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>En anden har ændret punktet imens: din ændring er ikke gemt, og listen er læst igen. Se punktet, og prøv igen.</source>
        <translation>Someone else changed the item meanwhile: your change was not saved, and the list was read again. Look at the item and try again.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Opdateringen blev afvist, fordi den ikke kunne bekræftes. Denne version kører videre.</source>
        <translation>The update was refused because it could not be verified. This version keeps running.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Opdateringen kunne ikke gennemføres. Denne version kører videre.</source>
        <translation>The update could not be completed. This version keeps running.</translation>
    </message>
</context>
<context>
    <name>FirstAdminDialog</name>
    <message>
        <location filename="../../cockpit/views/access/first_admin.py" line="+23"/>
        <source>Opret den første administrator</source>
        <translation>Create the first administrator</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Når der findes brugere, skal alle logge ind, og hvert opslag logges med brugerens navn. Administratoren opretter de øvrige brugere (læger, sygeplejersker, sekretærer) og ser ingen patientdata.</source>
        <translation>Once users exist, everyone signs in and every look-up is logged with the user&apos;s name. The administrator creates the other users (GPs, nurses, secretaries) and sees no patient data.</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>&amp;Brugernavn</source>
        <translation>&amp;User name</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Fulde navn</source>
        <translation>&amp;Full name</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Adgangskode</source>
        <translation>&amp;Password</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Gentag adgangskode</source>
        <translation>&amp;Repeat password</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>Skriv et brugernavn.</source>
        <translation>Enter a user name.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Adgangskoden skal have mindst {n} tegn.</source>
        <translation>The password must have at least {n} characters.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>De to adgangskoder er ikke ens.</source>
        <translation>The two passwords differ.</translation>
    </message>
</context>
<context>
    <name>Format</name>
    <message>
        <location filename="../../cockpit/views/charts/formatting.py" line="+88"/>
        <source>1 dag</source>
        <translation>1 day</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{days} dage</source>
        <translation>{days} days</translation>
    </message>
</context>
<context>
    <name>HeaderWidget</name>
    <message>
        <location filename="../../cockpit/views/overview/header.py" line="+28"/>
        <location line="+41"/>
        <source>Vis CPR</source>
        <translation>Show CPR</translation>
    </message>
    <message>
        <location line="-40"/>
        <source>Vis hele CPR-nummeret (Ctrl+Shift+C)</source>
        <translation>Show the full CPR number (Ctrl+Shift+C)</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>Henter patientens data …</source>
        <translation>Loading the patient’s data …</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Skjul CPR</source>
        <translation>Hide CPR</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>{age} år</source>
        <translation>{age} years</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>alder ukendt</source>
        <translation>age unknown</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>CPR {cpr}</source>
        <translation>CPR {cpr}</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>intet CPR-nr.</source>
        <translation>no CPR no.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>født {date}</source>
        <translation>born {date}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>egen læge: {name}</source>
        <translation>GP: {name}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>død {date}</source>
        <translation>died {date}</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>{name} Kommune</source>
        <translation>{name} Municipality</translation>
    </message>
</context>
<context>
    <name>Help</name>
    <message>
        <location filename="../../cockpit/views/help/page.py" line="+30"/>
        <source>Hele vinduet</source>
        <translation>Whole window</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Tast</source>
        <translation>Key</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Gør</source>
        <translation>Does</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Hvor</source>
        <translation>Where</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Hver linje er en indikator, som klyngen har valgt: &lt;b&gt;Fundet&lt;/b&gt; er antallet af patienter på listen, &lt;b&gt;Population&lt;/b&gt; dem indikatoren gælder for, og &lt;b&gt;Andel&lt;/b&gt; forholdet mellem dem. Fed skrift er sikkerhedsindikatorer med fund.</source>
        <translation>Each line is an indicator the cluster chose: &lt;b&gt;Found&lt;/b&gt; is the number of patients on the list, &lt;b&gt;Population&lt;/b&gt; those the indicator applies to, and &lt;b&gt;Share&lt;/b&gt; the ratio between them. Bold type marks safety indicators with findings.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Vælg en indikator for at se dens patienter til højre. &lt;b&gt;Grundlag&lt;/b&gt; er de data, der satte patienten på listen (diagnose, seneste måling med dato, medicin); nederst står indikatorens beskrivelse og kilde. Enter åbner patientens overblik.</source>
        <translation>Choose an indicator to see its patients on the right. &lt;b&gt;Evidence&lt;/b&gt; is the data that put the patient on the list (diagnosis, latest measurement with its date, medication); below are the indicator&apos;s description and source. Enter opens the patient&apos;s overview.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Klik på &lt;b&gt;?&lt;/b&gt; ud for en indikator for dens definition, kilde og datakvalitet. En gul boks over patienterne betyder, at data kan være ufuldstændige (koder eller enheder, som cockpittet ikke kender): listen kan så mangle patienter eller have for mange.</source>
        <translation>Click &lt;b&gt;?&lt;/b&gt; beside an indicator for its definition, source and data quality. A yellow box above the patients means the data may be incomplete (codes or units the cockpit does not know): the list may then miss patients or hold too many.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>En liste er et forslag til opfølgning, ikke en diagnose: se altid patientens journal, før du handler. Med &lt;b&gt;Opret opfølgningsliste&lt;/b&gt; bliver listen til opgaver på fanen Opfølgning.</source>
        <translation>A list is a suggestion for follow-up, not a diagnosis: always look at the patient&apos;s record before you act. &lt;b&gt;Create follow-up list&lt;/b&gt; turns the list into tasks on the Follow-up tab.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Hjælp til Patient Cockpit</source>
        <translation>Patient Cockpit help</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Fanerne</source>
        <translation>The tabs</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Sådan læses en risikoliste</source>
        <translation>How to read a risk list</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Tastaturgenveje</source>
        <translation>Keyboard shortcuts</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Listen er læst fra vinduets egne genveje. F1 viser denne side igen.</source>
        <translation>This list is read from the window&apos;s own shortcuts. F1 shows this page again.</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Find en patient (Ctrl+K) og se overblikket: opmærksomhedspunkter med grundlag, diagnoser, medicin, laboratoriesvar med udvikling, kontakter og hjemmepleje.</source>
        <translation>Find a patient (Ctrl+K) and see the overview: what needs attention with its evidence, diagnoses, medication, lab results with their trend, contacts and home care.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Klyngens indikatorer beregnet på hele praksis: hvem mangler en kontrol, hvem har en risiko, hvor er medicinen uhensigtsmæssig.</source>
        <translation>The cluster&apos;s indicators evaluated on the whole practice: who is missing a check-up, who is at risk, where the medication is inappropriate.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Brugere og roller, og adgangsloggen (hvem slog hvad op hvornår). Kun for administratorer</source>
        <translation>Users and roles, and the audit log (who looked up what, when). For administrators only</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Opfølgningslister: hvem ringer til hvem, hvad er aftalt, hvad er gjort. Listen følger indikatoren, og implementeringsplanen siger hvad, hvordan, hvem og hvornår.</source>
        <translation>Follow-up lists: who calls whom, what was agreed, what was done. The list follows the indicator, and the implementation plan says what, how, who and by when.</translation>
    </message>
    <message>
        <location line="+29"/>
        <source>Hjælp</source>
        <translation>Help</translation>
    </message>
    <message>
        <location filename="../../cockpit/views/help/shortcuts.py" line="+48"/>
        <source>(ingen beskrivelse)</source>
        <translation>(no description)</translation>
    </message>
</context>
<context>
    <name>IndicatorHelp</name>
    <message>
        <location filename="../../cockpit/views/help/indicator.py" line="+24"/>
        <source>Definition</source>
        <translation>Definition</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Population (nævneren)</source>
        <translation>Population (denominator)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>På listen (tælleren)</source>
        <translation>On the list (numerator)</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Grænser (pakkens standard)</source>
        <translation>Limits (the pack&apos;s defaults)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Kilde</source>
        <translation>Source</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Definition og kilder sidst gennemgået {day}.</source>
        <translation>Definition and sources last reviewed {day}.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Datakvalitet</source>
        <translation>Data quality</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Listen er kun så god som kodningen i praksissens data. Cockpittet tjekker for hver indikator, hvor stor en del af populationen der har de målinger, den læser, i en kendt kode; målinger i en enhed, der ikke kan sammenlignes; aktuel medicin uden ATC-kode; og ressourcer i karantæne, som ingen liste kan se.</source>
        <translation>A list is only as good as the coding in the practice&apos;s data. For each indicator the cockpit checks what share of the population has the measurements it reads in a known code; measurements in a unit that cannot be compared; current medication without an ATC code; and resources in quarantine, which no list can see.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Pakkens note</source>
        <translation>The pack&apos;s note</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Fundet i praksissens data pr. {day}:</source>
        <translation>Found in the practice&apos;s data as of {day}:</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Ingen problemer fundet i praksissens data pr. {day}.</source>
        <translation>No problems found in the practice&apos;s data as of {day}.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Om indikatoren</source>
        <translation>About the indicator</translation>
    </message>
</context>
<context>
    <name>LockPage</name>
    <message>
        <location filename="../../cockpit/views/access/lock_page.py" line="+48"/>
        <source>&amp;Bruger</source>
        <translation>&amp;User</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Adgangskode</source>
        <translation>&amp;Password</translation>
    </message>
    <message>
        <location line="+23"/>
        <location line="+16"/>
        <source>Låst</source>
        <translation>Locked</translation>
    </message>
    <message>
        <location line="-16"/>
        <location line="+9"/>
        <source>Log ind</source>
        <translation>Sign in</translation>
    </message>
    <message>
        <location line="-7"/>
        <source>Patient Cockpit er låst. Log ind igen for at fortsætte; intet arbejde er gået tabt.</source>
        <translation>Patient Cockpit is locked. Sign in again to continue; no work has been lost.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Log ind med din brugerkonto i praksis.</source>
        <translation>Sign in with your practice user account.</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Patient Cockpit er låst. Der er endnu ingen brugere i praksis, så der kræves ingen adgangskode; opret brugere for at beskytte data med log ind.</source>
        <translation>Patient Cockpit is locked. The practice has no users yet, so no password is needed; create users to protect the data with sign-in.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Lås op</source>
        <translation>Unlock</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Brugernavnet eller adgangskoden er forkert. Kontrollér begge og prøv igen.</source>
        <translation>The user name or the password is wrong. Check both and try again.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Efter for mange forkerte forsøg er log ind med dette navn spærret i {minutes} min. Prøv igen derefter, eller bed praksissens administrator om at låse op.</source>
        <translation>After too many failed attempts, sign-in with this name is locked for {minutes} min. Try again then, or ask the practice&apos;s administrator to unlock it.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Brugeren er deaktiveret. Bed praksissens administrator om at aktivere den igen.</source>
        <translation>The user is disabled. Ask the practice&apos;s administrator to enable it again.</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>Skriv brugernavn og adgangskode.</source>
        <translation>Enter user name and password.</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../cockpit/views/messages.py" line="+16"/>
        <source>Uventet fejl ({error})</source>
        <translation>Unexpected error ({error})</translation>
    </message>
    <message>
        <location filename="../../cockpit/views/main_window.py" line="+86"/>
        <source>{title} — DEMOPRAKSIS (fiktive patienter)</source>
        <translation>{title} — DEMO PRACTICE (fictitious patients)</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Åbner den krypterede database …</source>
        <translation>Opening the encrypted database …</translation>
    </message>
    <message>
        <location filename="../../cockpit/views/banners.py" line="+10"/>
        <source>&lt;b&gt;Demopraksis&lt;/b&gt; – alle patienter her er fiktive og genereret af Patient Cockpit. Brug den til at prøve programmet; læg aldrig rigtige patientdata her.</source>
        <translation>&lt;b&gt;Demo practice&lt;/b&gt; – every patient here is fictitious, generated by Patient Cockpit. Use it to try the program out; never put real patient data here.</translation>
    </message>
    <message>
        <location filename="../../cockpit/views/main_window.py" line="+79"/>
        <source>Patient  (Ctrl+1)</source>
        <translation>Patient  (Ctrl+1)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Risikolister  (Ctrl+2)</source>
        <translation>Risk lists  (Ctrl+2)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Administration  (Ctrl+3)</source>
        <translation>Administration  (Ctrl+3)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Opfølgning  (Ctrl+4)</source>
        <translation>Follow-up  (Ctrl+4)</translation>
    </message>
    <message>
        <location filename="../../cockpit/views/help/menu.py" line="+18"/>
        <source>&amp;Hjælp</source>
        <translation>&amp;Help</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Hjælp og genveje</source>
        <translation>&amp;Help and shortcuts</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;Lås nu</source>
        <translation>&amp;Lock now</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Søg efter &amp;opdateringer …</source>
        <translation>Check for &amp;updates …</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Om Patient Cockpit</source>
        <translation>&amp;About Patient Cockpit</translation>
    </message>
    <message>
        <location filename="../../cockpit/views/banners.py" line="+23"/>
        <source>&lt;b&gt;Ingen brugere endnu&lt;/b&gt; – alle opslag logges som computerens bruger. Opret en administrator, så alle skal logge ind, og hvert opslag logges med den rette person.</source>
        <translation>&lt;b&gt;No users yet&lt;/b&gt; – every look-up is logged as the computer&apos;s user. Create an administrator so that everyone signs in and every look-up is logged with the right person.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Opret administrator …</source>
        <translation>Create administrator …</translation>
    </message>
    <message>
        <location filename="../../cockpit/views/search_pane.py" line="+59"/>
        <source>Søg: navn, CPR-nr. eller fødselsdato  (Ctrl+F)</source>
        <translation>Search: name, CPR no. or date of birth  (Ctrl+F)</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>S&amp;eneste patienter</source>
        <translation>R&amp;ecent patients</translation>
    </message>
    <message>
        <location filename="../../cockpit/views/main_window.py" line="+72"/>
        <source>Praksisserver: {host}</source>
        <translation>Practice server: {host}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Data og opfølgningslister deles med praksissens andre arbejdspladser.</source>
        <translation>Data and follow-up lists are shared with the practice&apos;s other workstations.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>1 patient</source>
        <translation>1 patient</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{count} patienter</source>
        <translation>{count} patients</translation>
    </message>
    <message>
        <location line="+32"/>
        <source>Enkeltbruger: {user}</source>
        <translation>Single user: {user}</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>{user} ({role})</source>
        <translation>{user} ({role})</translation>
    </message>
    <message>
        <location line="+56"/>
        <source>Du er logget ind som {role}. Den rolle giver ikke adgang til patientdata; den administrerer brugere, indstillinger og adgangsloggen.</source>
        <translation>You are signed in as {role}. That role has no access to patient data; it manages users, settings and the access log.</translation>
    </message>
    <message>
        <location filename="../../cockpit/views/access/session.py" line="+121"/>
        <source>Administratoren {user} er oprettet; fremover skal alle logge ind.</source>
        <translation>The administrator {user} has been created; from now on everyone signs in.</translation>
    </message>
    <message>
        <location filename="../../cockpit/views/main_window.py" line="-83"/>
        <source>Databasen kunne ikke åbnes</source>
        <translation>The database could not be opened</translation>
    </message>
    <message>
        <location filename="../../cockpit/views/search_pane.py" line="+57"/>
        <source>Viser de første {limit} af {total} patienter; søg for at finde andre</source>
        <translation>Showing the first {limit} of {total} patients; search to find others</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>1 patient fundet</source>
        <translation>1 patient found</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{count} patienter fundet</source>
        <translation>{count} patients found</translation>
    </message>
    <message>
        <location filename="../../cockpit/views/risk/actions.py" line="+79"/>
        <source>Opfølgningslisten {name} er oprettet med {count} patienter</source>
        <translation>The follow-up list {name} was created with {count} patients</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Din rolle ({role}) må ikke eksportere patientlister.</source>
        <translation>Your role ({role}) may not export patient lists.</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Gem opkaldsliste</source>
        <translation>Save call list</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>CSV-filer (*.csv)</source>
        <translation>CSV files (*.csv)</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>{count} patienter gemt i {file} (eksporten er logget)</source>
        <translation>{count} patients saved to {file} (the export is logged)</translation>
    </message>
    <message>
        <location filename="../../cockpit/views/patient_controller.py" line="+84"/>
        <source>Din rolle ({role}) giver ikke adgang til journaloplysninger.</source>
        <translation>Your role ({role}) has no access to the clinical record.</translation>
    </message>
    <message>
        <location line="+45"/>
        <source>forfald {day}</source>
        <translation>due {day}</translation>
    </message>
</context>
<context>
    <name>Month</name>
    <message>
        <location filename="../../cockpit/views/charts/formatting.py" line="-67"/>
        <source>jan</source>
        <translation>Jan</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>feb</source>
        <translation>Feb</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>mar</source>
        <translation>Mar</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>apr</source>
        <translation>Apr</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>maj</source>
        <translation>May</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>jun</source>
        <translation>Jun</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>jul</source>
        <translation>Jul</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>aug</source>
        <translation>Aug</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>sep</source>
        <translation>Sep</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>okt</source>
        <translation>Oct</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>nov</source>
        <translation>Nov</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>dec</source>
        <translation>Dec</translation>
    </message>
</context>
<context>
    <name>OverviewPanel</name>
    <message>
        <location filename="../../cockpit/views/overview/panel.py" line="+120"/>
        <source>Opmærksomhed</source>
        <translation>Attention</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Diagnoser</source>
        <translation>Diagnoses</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Vis afsluttede</source>
        <translation>Show resolved</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Medicin</source>
        <translation>Medication</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Laboratorie</source>
        <translation>Laboratory</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Hjemmepleje</source>
        <translation>Home care</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>&amp;Kontakter</source>
        <translation>&amp;Contacts</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Udvikling</source>
        <translation>&amp;Trend</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+65"/>
        <source>&amp;Hjemmepleje</source>
        <translation>&amp;Home care</translation>
    </message>
    <message>
        <location line="-64"/>
        <source>&amp;Rådata</source>
        <translation>&amp;Raw data</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>Vælg en patient på listen, eller søg med Ctrl+F på navn, CPR-nr. eller fødselsdato.
Alt+1 … Alt+6 springer mellem opmærksomhed, diagnoser, medicin, laboratorie, kontakter og hjemmepleje.</source>
        <translation>Choose a patient from the list, or search with Ctrl+F by name, CPR no. or date of birth.
Alt+1 … Alt+6 jump between attention, diagnoses, medication, laboratory, contacts and home care.</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>Opfølgning: {items}</source>
        <translation>Follow-up: {items}</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>1 aktivt stof</source>
        <translation>1 active substance</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{count} aktive stoffer</source>
        <translation>{count} active substances</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Mål {target}</source>
        <translation>Target {target}</translation>
    </message>
</context>
<context>
    <name>PlanDialog</name>
    <message>
        <location filename="../../cockpit/views/worklists/dialogs.py" line="+61"/>
        <source>Implementeringsplan</source>
        <translation>Implementation plan</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>f.eks. 80 % med HbA1c inden for 12 måneder</source>
        <translation>e.g. 80 % with an HbA1c within 12 months</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>&amp;Hvad ændrer vi</source>
        <translation>&amp;What we change</translation>
    </message>
    <message>
        <location line="-14"/>
        <source>Evalueres &amp;den</source>
        <translation>Review &amp;date</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Hvo&amp;rdan</source>
        <translation>&amp;How</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>H&amp;vem</source>
        <translation>Wh&amp;o</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Senest</source>
        <translation>&amp;By</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Mål</source>
        <translation>&amp;Target</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>hvad</source>
        <translation>what</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>hvordan</source>
        <translation>how</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>hvem</source>
        <translation>who</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Udfyld: {fields}.</source>
        <translation>Fill in: {fields}.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Evalueringsdatoen ligger før fristen.</source>
        <translation>The review date is before the deadline.</translation>
    </message>
</context>
<context>
    <name>RawRecord</name>
    <message>
        <location filename="../../cockpit/views/record_html.py" line="+18"/>
        <source>Diagnoser</source>
        <translation>Diagnoses</translation>
    </message>
    <message>
        <location line="+3"/>
        <location line="+27"/>
        <source>Kode</source>
        <translation>Code</translation>
    </message>
    <message>
        <location line="-26"/>
        <location line="+29"/>
        <source>Tekst</source>
        <translation>Text</translation>
    </message>
    <message>
        <location line="-28"/>
        <location line="+15"/>
        <location line="+24"/>
        <location line="+14"/>
        <source>Start</source>
        <translation>Start</translation>
    </message>
    <message>
        <location line="-52"/>
        <location line="+15"/>
        <location line="+24"/>
        <location line="+14"/>
        <source>Slut</source>
        <translation>End</translation>
    </message>
    <message>
        <location line="-52"/>
        <location line="+15"/>
        <location line="+38"/>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <location line="-52"/>
        <source>Kilde</source>
        <translation>Source</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>System</source>
        <translation>System</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Medicin</source>
        <translation>Medication</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>ATC</source>
        <translation>ATC</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Lægemiddel</source>
        <translation>Drug</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Styrke</source>
        <translation>Strength</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Dosering</source>
        <translation>Dosage</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Laboratorie- og målinger</source>
        <translation>Laboratory results and measurements</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Tid</source>
        <translation>Time</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Analyse</source>
        <translation>Test</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Værdi</source>
        <translation>Value</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Enhed</source>
        <translation>Unit</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Ref. lav</source>
        <translation>Ref. low</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Ref. høj</source>
        <translation>Ref. high</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Flag</source>
        <translation>Flag</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Kontakter</source>
        <translation>Contacts</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Type</source>
        <translation>Type</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Beskrivelse</source>
        <translation>Description</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Sted</source>
        <translation>Location</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Årsag</source>
        <translation>Reason</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Hjemmepleje</source>
        <translation>Home care</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Ydelse</source>
        <translation>Service</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Timer/uge</source>
        <translation>Hours/week</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Leverandør</source>
        <translation>Provider</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Ingen</source>
        <translation>None</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>CPR {cpr} · født {born} · {sex} · egen læge: {gp} · kommune: {municipality}</source>
        <translation>CPR {cpr} · born {born} · {sex} · GP: {gp} · municipality: {municipality}</translation>
    </message>
</context>
<context>
    <name>Risk</name>
    <message>
        <location filename="../../cockpit/views/risk/panel.py" line="-64"/>
        <source>Proces</source>
        <translation>Process</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Resultat</source>
        <translation>Outcome</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Sikkerhed</source>
        <translation>Safety</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Forbrug</source>
        <translation>Utilisation</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>patienter</source>
        <translation>patients</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>recepter</source>
        <translation>prescriptions</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>{found} af {counted} patienter</source>
        <translation>{found} of {counted} patients</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>{found} af {counted} recepter; {patients} patienter på listen</source>
        <translation>{found} of {counted} prescriptions; {patients} patients listed</translation>
    </message>
    <message>
        <location filename="../../cockpit/views/risk/definition_header.py" line="+19"/>
        <source>Definition, kilde og datakvalitet (klik)</source>
        <translation>Definition, source and data quality (click)</translation>
    </message>
</context>
<context>
    <name>RiskPanel</name>
    <message>
        <location filename="../../cockpit/views/risk/panel.py" line="+57"/>
        <source>Risikolisterne beregnes …</source>
        <translation>Calculating the risk lists …</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Filtrér på navn eller CPR-nr.</source>
        <translation>Filter by name or CPR no.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Eksportér CSV …</source>
        <translation>Export CSV …</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Gem de viste patienter som opkaldsliste (Ctrl+E); eksporten logges</source>
        <translation>Save the patients shown as a call list (Ctrl+E); the export is logged</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Opret opfølgningsliste</source>
        <translation>Create follow-up list</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Opret en opfølgningsliste med alle fund for indikatoren; listen følger indikatoren</source>
        <translation>Create a follow-up list of all hits of the indicator; the list follows the indicator</translation>
    </message>
    <message>
        <location line="+64"/>
        <source>{lists} indikatorer valgt af klyngen, {hits} fund, beregnet pr. {day}</source>
        <translation>{lists} indicators chosen by the cluster, {hits} findings, as of {day}</translation>
    </message>
    <message>
        <location line="+37"/>
        <source>Datakvalitet: listen kan være ufuldstændig.</source>
        <translation>Data quality: the list may be incomplete.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Koder og enheder, som cockpittet ikke genkender, tælles ikke med.</source>
        <translation>Codes and units that the cockpit does not recognise are not counted.</translation>
    </message>
</context>
<context>
    <name>Roles</name>
    <message>
        <location filename="../../cockpit/views/roles.py" line="+10"/>
        <source>læge</source>
        <translation>GP</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>sygeplejerske</source>
        <translation>nurse</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>sekretær</source>
        <translation>secretary</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>administrator</source>
        <translation>administrator</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>enkeltbruger</source>
        <translation>single user</translation>
    </message>
</context>
<context>
    <name>Sections</name>
    <message>
        <location filename="../../cockpit/views/overview/sections.py" line="-203"/>
        <source>Høj</source>
        <translation>High</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Middel</source>
        <translation>Medium</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Lav</source>
        <translation>Low</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Egen læge</source>
        <translation>GP</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Sygehus</source>
        <translation>Hospital</translation>
    </message>
    <message>
        <location line="+71"/>
        <source>Taget {date}</source>
        <translation>Taken {date}</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Forrige {value} den {date}</source>
        <translation>Previous {value} on {date}</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Enter: vis udvikling</source>
        <translation>Enter: show trend</translation>
    </message>
    <message>
        <location line="+45"/>
        <source>{drug}  (ny)</source>
        <translation>{drug}  (new)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{drug}  (seponeret {date})</source>
        <translation>{drug}  (discontinued {date})</translation>
    </message>
</context>
<context>
    <name>Sex</name>
    <message>
        <location filename="../../cockpit/views/patient_table.py" line="-28"/>
        <source>Mand</source>
        <translation>Male</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Kvinde</source>
        <translation>Female</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Andet</source>
        <translation>Other</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Ukendt</source>
        <translation>Unknown</translation>
    </message>
</context>
<context>
    <name>Shortcuts</name>
    <message>
        <location filename="../../cockpit/views/admin/users_page.py" line="+59"/>
        <source>Ny bruger</source>
        <translation>New user</translation>
    </message>
    <message>
        <location filename="../../cockpit/views/risk/panel.py" line="-107"/>
        <source>Eksportér den viste liste som CSV</source>
        <translation>Export the shown list as CSV</translation>
    </message>
    <message>
        <location filename="../../cockpit/views/search_pane.py" line="-51"/>
        <source>Ryd søgefeltet</source>
        <translation>Clear the search field</translation>
    </message>
    <message>
        <location filename="../../cockpit/views/window_keys.py" line="+19"/>
        <source>Synkronisér nu</source>
        <translation>Sync now</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Siden Patient</source>
        <translation>The Patient page</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Siden Risikolister</source>
        <translation>The Risk lists page</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Siden Administration</source>
        <translation>The Administration page</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Siden Opfølgning</source>
        <translation>The Follow-up page</translation>
    </message>
    <message>
        <location line="+3"/>
        <location line="+3"/>
        <source>Søg efter en patient</source>
        <translation>Search for a patient</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Vis hele CPR-nummeret</source>
        <translation>Show the whole CPR number</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Opmærksomhed</source>
        <translation>Attention</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Diagnoser</source>
        <translation>Diagnoses</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Medicin</source>
        <translation>Medication</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Laboratorie</source>
        <translation>Laboratory</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Kontakter</source>
        <translation>Contacts</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Hjemmepleje</source>
        <translation>Home care</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Tilbage til patientlisten</source>
        <translation>Back to the patient list</translation>
    </message>
    <message>
        <location filename="../../cockpit/views/worklists/items_pane.py" line="+127"/>
        <source>Vælg alle punkter på listen</source>
        <translation>Select every item of the list</translation>
    </message>
</context>
<context>
    <name>StatusDialog</name>
    <message>
        <location filename="../../cockpit/views/worklists/dialogs.py" line="-174"/>
        <source>Sæt status</source>
        <translation>Set status</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>&amp;Status</source>
        <translation>&amp;Status</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Begrundelse</source>
        <translation>&amp;Reason</translation>
    </message>
</context>
<context>
    <name>SyncStatus</name>
    <message>
        <location filename="../../cockpit/views/sync_status.py" line="+48"/>
        <source>Synkronisér nu</source>
        <translation>Sync now</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Hent ændringer fra praksissystemet nu (F5)</source>
        <translation>Fetch changes from the clinic system now (F5)</translation>
    </message>
    <message>
        <location line="+48"/>
        <location line="+21"/>
        <source>Synkroniserer …</source>
        <translation>Syncing …</translation>
    </message>
    <message>
        <location line="-5"/>
        <source>Forbinder til praksissystemet …</source>
        <translation>Connecting to the clinic system …</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Praksissystemet forbereder data …</source>
        <translation>The clinic system is preparing the data …</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Henter … {count} ændringer</source>
        <translation>Downloading … {count} changes</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Gemmer {count} ændringer …</source>
        <translation>Saving {count} changes …</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>Synkronisering: status ukendt</source>
        <translation>Sync: status unknown</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Ingen synkronisering sat op</source>
        <translation>No sync set up</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Sæt en FHIR-server op med: cockpit sync --server URL (eller --folder MAPPE)</source>
        <translation>Set up a FHIR server with: cockpit sync --server URL (or --folder FOLDER)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>⚠ Synkronisering fejlede</source>
        <translation>⚠ Sync failed</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Synkroniseret {when}</source>
        <translation>Synced {when}</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Aldrig synkroniseret</source>
        <translation>Never synced</translation>
    </message>
</context>
<context>
    <name>TrendChart</name>
    <message>
        <location filename="../../cockpit/views/charts/trend.py" line="+70"/>
        <source>Forløb</source>
        <translation>Trend</translation>
    </message>
    <message>
        <location line="+123"/>
        <source>Ingen målinger</source>
        <translation>No measurements</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Forløb: {title}</source>
        <translation>Trend: {title}</translation>
    </message>
</context>
<context>
    <name>TrendSeries</name>
    <message>
        <location filename="../../cockpit/views/charts/series.py" line="+49"/>
        <source>Mål {target}</source>
        <translation>Target {target}</translation>
    </message>
    <message>
        <location line="+31"/>
        <source>(over målet {target})</source>
        <translation>(above target {target})</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>(under målet {target})</source>
        <translation>(below target {target})</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>(på målet {target})</source>
        <translation>(at target {target})</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>(over referenceintervallet {limits})</source>
        <translation>(above reference range {limits})</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>(under referenceintervallet {limits})</source>
        <translation>(below reference range {limits})</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>(over referencegrænsen {limit})</source>
        <translation>(above reference limit {limit})</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>(under referencegrænsen {limit})</source>
        <translation>(below reference limit {limit})</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Ingen målinger</source>
        <translation>No measurements</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>{title}: ingen målinger</source>
        <translation>{title}: no measurements</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>{title}: 1 måling den {date}: {value}</source>
        <translation>{title}: 1 measurement on {date}: {value}</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>{title}: {count} målinger fra {first} til {last}, seneste {value}</source>
        <translation>{title}: {count} measurements from {first} to {last}, latest {value}</translation>
    </message>
</context>
<context>
    <name>UpdateChecker</name>
    <message>
        <location filename="../../cockpit/views/updates.py" line="+41"/>
        <source>Patient Cockpit er opdateret.</source>
        <translation>Patient Cockpit is up to date.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Ny version</source>
        <translation>New version</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Version {new} er klar (du har {current}; {size} MB). Den er kontrolleret mod praksissens opdateringsnøgler. Hent og installér den nu? Den tages i brug næste gang programmet startes, og den nuværende version gemmes, så I kan gå tilbage.</source>
        <translation>Version {new} is ready (you have {current}; {size} MB). It has been checked against the practice&apos;s update keys. Download and install it now? It is used from the next start, and the current version is kept so that you can go back.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Den nye version er installeret og tages i brug, når programmet startes igen.</source>
        <translation>The new version is installed and is used when the program is started again.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Opdateringen blev ikke installeret.</source>
        <translation>The update was not installed.</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Opdatering</source>
        <translation>Update</translation>
    </message>
</context>
<context>
    <name>UserDialog</name>
    <message>
        <location filename="../../cockpit/views/admin/user_dialog.py" line="+29"/>
        <source>Ny adgangskode til {user}</source>
        <translation>New password for {user}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Ny bruger</source>
        <translation>New user</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>&amp;Brugernavn</source>
        <translation>&amp;User name</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Fulde navn</source>
        <translation>&amp;Full name</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Rolle</source>
        <translation>&amp;Role</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Adgangskode</source>
        <translation>&amp;Password</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Gentag adgangskode</source>
        <translation>&amp;Repeat password</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Skriv et brugernavn.</source>
        <translation>Enter a user name.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Adgangskoden skal have mindst {n} tegn.</source>
        <translation>The password must have at least {n} characters.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>De to adgangskoder er ikke ens.</source>
        <translation>The two passwords differ.</translation>
    </message>
</context>
<context>
    <name>UsersPage</name>
    <message>
        <location filename="../../cockpit/views/admin/users_page.py" line="-68"/>
        <source>deaktiveret</source>
        <translation>disabled</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>spærret til {time}</source>
        <translation>locked until {time}</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>aktiv</source>
        <translation>active</translation>
    </message>
    <message>
        <location line="+38"/>
        <source>&amp;Ny bruger …</source>
        <translation>&amp;New user …</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Skift &amp;rolle …</source>
        <translation>Change &amp;role …</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Ny &amp;adgangskode …</source>
        <translation>New &amp;password …</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Deaktivér / aktivér</source>
        <translation>&amp;Disable / enable</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Lås op</source>
        <translation>&amp;Unlock</translation>
    </message>
    <message>
        <location line="+53"/>
        <source>Skift rolle</source>
        <translation>Change role</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Ny rolle for {user}:</source>
        <translation>New role for {user}:</translation>
    </message>
    <message>
        <location line="+30"/>
        <source>Gemt.</source>
        <translation>Saved.</translation>
    </message>
</context>
<context>
    <name>Worklist</name>
    <message>
        <location filename="../../cockpit/views/worklists/exports.py" line="+150"/>
        <source>Navn</source>
        <translation>Name</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>CPR-nr.</source>
        <translation>CPR no.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Indikator</source>
        <translation>Indicator</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Forfald</source>
        <translation>Due</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Tildelt</source>
        <translation>Assigned</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Notat</source>
        <translation>Note</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>{count} patienter</source>
        <translation>{count} patients</translation>
    </message>
    <message>
        <location filename="../../cockpit/views/worklists/vocabulary.py" line="+16"/>
        <source>Ny</source>
        <translation>New</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Kontaktet</source>
        <translation>Contacted</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Booket</source>
        <translation>Booked</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Udført</source>
        <translation>Done</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Ikke relevant</source>
        <translation>Not relevant</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Afslået</source>
        <translation>Declined</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Flyttet</source>
        <translation>Moved away</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Løst af data</source>
        <translation>Resolved by data</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Terminal sygdom</source>
        <translation>Terminal illness</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Følges andetsteds</source>
        <translation>Followed elsewhere</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Klinisk vurdering</source>
        <translation>Clinical judgement</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Fejl i data</source>
        <translation>Data error</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Patienten har takket nej</source>
        <translation>The patient declined</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Intet svar</source>
        <translation>No response</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Skiftet læge</source>
        <translation>Changed GP</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Udvandret</source>
        <translation>Emigrated</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Død</source>
        <translation>Deceased</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Andet</source>
        <translation>Other</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Høj</source>
        <translation>High</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Normal</source>
        <translation>Normal</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Lav</source>
        <translation>Low</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>rolle: {role}</source>
        <translation>role: {role}</translation>
    </message>
    <message>
        <location filename="../../cockpit/views/worklists/dialogs.py" line="+89"/>
        <source>Rolle: {role}</source>
        <translation>Role: {role}</translation>
    </message>
</context>
<context>
    <name>WorklistPage</name>
    <message>
        <location filename="../../cockpit/views/worklists/items_pane.py" line="+17"/>
        <source>&amp;Mine</source>
        <translation>&amp;Mine</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Kun punkter tildelt mig eller min rolle (Alt+M)</source>
        <translation>Only items assigned to me or my role (Alt+M)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Forfaldne</source>
        <translation>&amp;Overdue</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Kun åbne punkter over forfaldsdatoen (Alt+F)</source>
        <translation>Only open items past their due date (Alt+O)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Åbne</source>
        <translation>Open</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Alle</source>
        <translation>All</translation>
    </message>
    <message>
        <location line="+4"/>
        <location line="+62"/>
        <source>Alle indikatorer</source>
        <translation>All indicators</translation>
    </message>
    <message>
        <location line="-88"/>
        <source>S&amp;tatus …</source>
        <translation>S&amp;tatus …</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>T&amp;ildel …</source>
        <translation>Ass&amp;ign …</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Forfalds&amp;dato …</source>
        <translation>&amp;Due date …</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Prioritet …</source>
        <translation>&amp;Priority …</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Notat …</source>
        <translation>&amp;Note …</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>CSV …</source>
        <translation>CSV …</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>PDF …</source>
        <translation>PDF …</translation>
    </message>
    <message>
        <location filename="../../cockpit/views/worklists/lists_pane.py" line="+33"/>
        <source>&amp;Rediger plan …</source>
        <translation>&amp;Edit plan …</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;Lister</source>
        <translation>&amp;Lists</translation>
    </message>
    <message>
        <location filename="../../cockpit/views/worklists/items_pane.py" line="+30"/>
        <source>St&amp;atus:</source>
        <translation>St&amp;atus:</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Indi&amp;kator:</source>
        <translation>Indi&amp;cator:</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>Hist&amp;orik</source>
        <translation>Hi&amp;story</translation>
    </message>
    <message>
        <location filename="../../cockpit/views/worklists/lists_pane.py" line="+63"/>
        <source>følger indikatoren</source>
        <translation>follows the indicator</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>fast udvalg</source>
        <translation>fixed selection</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&lt;b&gt;{name}&lt;/b&gt; ({indicators}; {follows}), oprettet af {user}</source>
        <translation>&lt;b&gt;{name}&lt;/b&gt; ({indicators}; {follows}), created by {user}</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Ingen implementeringsplan endnu.</source>
        <translation>No implementation plan yet.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Hvad</source>
        <translation>What</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Hvordan</source>
        <translation>How</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Hvem</source>
        <translation>Who</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Senest</source>
        <translation>By</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Mål</source>
        <translation>Target</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Opfølgning</source>
        <translation>Review</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Implementeringsplan</source>
        <translation>Implementation plan</translation>
    </message>
    <message>
        <location filename="../../cockpit/views/worklists/items_pane.py" line="+160"/>
        <source>oprettet</source>
        <translation>created</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>notat: {text}</source>
        <translation>note: {text}</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>løst af data: {evidence}</source>
        <translation>resolved by data: {evidence}</translation>
    </message>
    <message>
        <location filename="../../cockpit/views/worklists/dialogs.py" line="-23"/>
        <source>Forfaldsdato</source>
        <translation>Due date</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Ingen forfaldsdato</source>
        <translation>No due date</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>&amp;Forfald</source>
        <translation>&amp;Due</translation>
    </message>
    <message>
        <location filename="../../cockpit/views/worklists/items_pane.py" line="+102"/>
        <source>Prioritet</source>
        <translation>Priority</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Prioritet:</source>
        <translation>Priority:</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Notat</source>
        <translation>Note</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Notat til de valgte punkter:</source>
        <translation>Note for the selected items:</translation>
    </message>
    <message>
        <location filename="../../cockpit/views/worklists/exports.py" line="-101"/>
        <source>Gem opkaldsliste</source>
        <translation>Save call list</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>CSV-filer (*.csv)</source>
        <translation>CSV files (*.csv)</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Gem opkaldsliste som PDF</source>
        <translation>Save call list as PDF</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>PDF-filer (*.pdf)</source>
        <translation>PDF files (*.pdf)</translation>
    </message>
</context>
</TS>
