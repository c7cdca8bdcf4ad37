#include "DashboardPage.h"
