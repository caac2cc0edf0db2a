// A date without a time has no time zone. The admin's calendar script (DateTimeShortcuts.js)
// warns about the server's time zone beside every date field; fields marked data-date-only
// (lmsite/admin_fields.py) keep the calendar and lose the warning. Date and time fields keep it.
"use strict";
if (window.DateTimeShortcuts) {
    const addWarning = window.DateTimeShortcuts.addTimezoneWarning;
    window.DateTimeShortcuts.addTimezoneWarning = function (inp) {
        if (!("dateOnly" in inp.dataset)) {
            addWarning.call(this, inp);
        }
    };
}
