#pragma once

#include <QLoggingCategory>

Q_DECLARE_LOGGING_CATEGORY(lcAppSession)
Q_DECLARE_LOGGING_CATEGORY(lcAppUi)
