from groundswell.petitions.goals import goal_for, milestones_reached


def test_goals_step_up_when_reached() -> None:
    assert goal_for(0) == 1000
    assert goal_for(999) == 1000
    assert goal_for(1000) == 2500
    assert goal_for(2500) == 5000
    assert goal_for(7000) == 10000
    assert goal_for(10000) == 25000
    assert goal_for(60000) == 100000
    assert goal_for(100000) == 250000


def test_milestones_are_the_goals_reached() -> None:
    assert milestones_reached(999) == []
    assert milestones_reached(1000) == [1000]
    assert milestones_reached(26000) == [1000, 2500, 5000, 10000, 25000]
