#include "applog.h"

Q_LOGGING_CATEGORY(lcAppSession, "pushchat.app.session")
Q_LOGGING_CATEGORY(lcAppUi, "pushchat.app.ui")
