#include "UserValidator.h"
