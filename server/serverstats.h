#pragma once

// The counters are part of the wire format (/api/stats): they live in common.
#include "statsreport.h"
