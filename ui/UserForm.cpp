#include "UserForm.h"
